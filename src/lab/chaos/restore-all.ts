// After a fault schedule: every paused node resumed and every crashed one restarted, so the checks that follow see
// the whole cluster.
import type { LabController } from '../controller';

export async function restoreAll(controller: LabController): Promise<void> {
  const snapshot = await controller.getSnapshot();
  for (const node of snapshot.nodes) {
    if (node.status === 'paused') await controller.resumeNode(node.id);
    if (node.status === 'crashed') await controller.restartNode(node.id);
  }
}
