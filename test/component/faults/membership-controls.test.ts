// @vitest-environment happy-dom
// Membership controls (issue 13 §4): "Add server" asks the lab for a new server at once; "Remove" asks first in the
// page (confirm-accept / confirm-cancel, never window.confirm); a learner's card is drawn apart (data-learner) and
// says so; the inspector shows each server's own configuration; the log view marks configuration entries.
import { describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import NodeControls from '../../../renderer/src/components/faults/NodeControls.vue';
import NodeGlyph from '../../../renderer/src/components/cluster/NodeGlyph.vue';
import NodeInspector from '../../../renderer/src/components/cluster/NodeInspector.vue';
import ErrorBanner from '../../../renderer/src/components/shell/ErrorBanner.vue';
import { describeEntry } from '../../../renderer/src/components/logs/log-columns';
import { confirmPage } from '../shell/confirm-page';
import { fakeLab, nodeState, nodeView, snapshot } from '../shell/lab-fixtures';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';

describe('membership controls', () => {
  const page = confirmPage(NodeControls);
  const mounted = page.mount;

  it('on a student\'s own Raft (Maelstrom\'s protocol: no membership changes) add, remove, transfer and time out are disabled and say why', async () => {
    const nodes = [nodeView(1, { role: 'leader' }), nodeView(2), nodeView(3)];
    const lab = fakeLab(snapshot(nodes, { settings: { ...DEFAULT_SETTINGS, nodeCount: 3, implementation: { kind: 'example' } } }));
    const wrapper = await mounted(lab);
    for (const id of ['add-server', 'remove-server-2', 'transfer-to-2']) {
      const button = wrapper.get(`[data-testid="${id}"]`);
      expect(button.attributes('disabled'), id).toBeDefined();
      expect(button.attributes('title'), id).toMatch(/your own Raft speaks Maelstrom's protocol/i);
    }
    // Its timers are its own: the lab cannot fire them (the relay refuses), so Time out is off and says what to do.
    expect(wrapper.get('[data-testid="timeout-2"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="timeout-2"]').attributes('title')).toMatch(/keeps its own timers/);
    expect(wrapper.get('[data-testid="crash-2"]').attributes('disabled')).toBeUndefined(); // faults still work
    wrapper.unmount();
  });

  it('"Add server" asks the lab for a server; "Remove" asks in the page, cancel keeps it, accept removes it', async () => {
    const lab = fakeLab(snapshot([nodeView(1, { role: 'leader' }), nodeView(2), nodeView(3)]));
    const wrapper = await mounted(lab);
    await wrapper.get('[data-testid="add-server"]').trigger('click');
    await flushPromises();
    expect(lab.api.addServer).toHaveBeenCalledTimes(1);

    const remove = wrapper.get('[data-testid="remove-server-2"]');
    await remove.trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="confirm-dialog"]').text()).toContain('Remove S2');
    await wrapper.get('[data-testid="confirm-cancel"]').trigger('click');
    await flushPromises();
    expect(lab.api.removeServer).not.toHaveBeenCalled();

    await remove.trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click');
    await flushPromises();
    expect(lab.api.removeServer).toHaveBeenCalledWith(2);
    expect(page.nativeConfirm()).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it('a removal that does not commit in time is said in the page: the server is still a member and keeps running', async () => {
    const lab = fakeLab(snapshot([nodeView(1, { role: 'leader' }), nodeView(2), nodeView(3)]));
    const late = 'the removal of S2 (configuration entry 7) has not committed within 100000 ms (a majority of the new ' +
      'configuration must store it), so S2 is still a member and keeps running; the lab stops S2 if the entry commits later, ' +
      'and says so if a new leader drops it';
    lab.api.removeServer.mockRejectedValueOnce(new Error(late));
    const wrapper = await mounted(lab);
    const banner = mount(ErrorBanner);
    await wrapper.get('[data-testid="remove-server-2"]').trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click');
    await flushPromises();
    expect(banner.text()).toContain(`Removing S2 failed: ${late}`);
    expect(wrapper.find('[data-testid="remove-server-2"]').exists(), 'S2 keeps its card').toBe(true);
    banner.unmount();
    wrapper.unmount();
  });

  it('"Transfer" asks the lab to hand leadership to a voter; it is off for the leader and a learner, which alone gets "Promote"', async () => {
    const config = { voters: [1, 2, 3], learners: [4], outgoing: [] };
    const lab = fakeLab(snapshot([nodeView(1, { role: 'leader', config }), nodeView(2, { config }), nodeView(3, { config }),
      nodeView(4, { config, learner: true })]));
    const wrapper = await mounted(lab);
    expect(wrapper.get('[data-testid="transfer-to-1"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="transfer-to-4"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="transfer-to-4"]').attributes('title')).toContain('only a voter can lead');
    const transfer = wrapper.get('[data-testid="transfer-to-3"]');
    expect(transfer.attributes('title')).toContain('§3.10');
    await transfer.trigger('click');
    await flushPromises();
    expect(lab.api.transferLeadership).toHaveBeenCalledWith(3);

    expect(wrapper.findAll('[data-testid^="promote-"]').map((button) => button.attributes('data-testid'))).toEqual(['promote-4']);
    await wrapper.get('[data-testid="promote-4"]').trigger('click');
    await flushPromises();
    expect(lab.api.promoteServer).toHaveBeenCalledWith(4);
    wrapper.unmount();
  });

  it('while the leader\'s newest configuration is uncommitted, add, remove and promote wait for it and say why (§4.1)', async () => {
    const committedConfig = { voters: [1, 2, 3], learners: [], outgoing: [] };
    const config = { voters: [1, 2, 3], learners: [4], outgoing: [] };
    const pending = [nodeView(1, { role: 'leader', config, committedConfig }), nodeView(2, { config }), nodeView(3, { config }),
      nodeView(4, { config, learner: true })];
    const wrapper = await mounted(fakeLab(snapshot(pending)));
    for (const id of ['add-server', 'remove-server-2', 'promote-4']) {
      const button = wrapper.get(`[data-testid="${id}"]`);
      expect(button.attributes('disabled'), id).toBeDefined();
      expect(button.attributes('title'), id).toContain('voters S1, S2, S3 · learners S4) has not committed yet');
    }
    expect(wrapper.get('[data-testid="transfer-to-2"]').attributes('disabled')).toBeUndefined(); // a transfer is no configuration change
    expect(wrapper.get('[data-testid="server-controls"]').attributes()).toMatchObject({ 'data-leader-voters': '1,2,3', 'data-config-pending': 'true' });
    wrapper.unmount();

    setActivePinia(createPinia());
    const committed = [nodeView(1, { role: 'leader', config, committedConfig: config }), nodeView(2, { config }), nodeView(3, { config }),
      nodeView(4, { config, learner: true })];
    const ready = await mounted(fakeLab(snapshot(committed)));
    for (const id of ['add-server', 'remove-server-2', 'promote-4']) expect(ready.get(`[data-testid="${id}"]`).attributes('disabled'), id).toBeUndefined();
    expect(ready.get('[data-testid="server-controls"]').attributes('data-config-pending')).toBe('false');
    ready.unmount();
  });

  it('a server the leader\'s configuration no longer names (its removal not committed) is marked leaving', async () => {
    const config = { voters: [1, 2], learners: [], outgoing: [] };
    const lab = fakeLab(snapshot([nodeView(1, { role: 'leader', config }), nodeView(2, { config }), nodeView(3)]));
    const wrapper = await mounted(lab);
    expect(wrapper.find('[data-testid="leaving-3"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="leaving-3"]').attributes('title')).toContain('§4.2.2');
    expect(wrapper.find('[data-testid="leaving-2"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('a learner is drawn apart and says so; a voter is not', () => {
    const config = { voters: [1, 2, 3], learners: [4], outgoing: [] };
    const learner = mount(NodeGlyph, { props: { node: nodeState(4, { config, learner: true }), position: { x: 100, y: 100 }, selected: false } });
    const card = learner.get('[data-testid="node-4"]');
    expect(card.attributes('data-learner')).toBe('true');
    expect(card.classes()).toContain('learner');
    expect(card.text()).toContain('learner');
    const voter = mount(NodeGlyph, { props: { node: nodeState(2, { config, learner: false }), position: { x: 100, y: 100 }, selected: false } });
    expect(voter.get('[data-testid="node-2"]').attributes('data-learner')).toBe('false');
  });

  it("the inspector shows the server's configuration, and the committed one when it differs", () => {
    const node = nodeState(4, { learner: true, config: { voters: [1, 2, 3], learners: [4], outgoing: [] },
      committedConfig: { voters: [1, 2, 3], learners: [], outgoing: [] } });
    const inspector = mount(NodeInspector, { props: { node } });
    expect(inspector.get('[data-testid="inspector-config"]').text()).toContain('voters S1, S2, S3 · learners S4');
    expect(inspector.get('[data-testid="inspector-config"]').text()).toContain('§4.2.1');
    expect(inspector.get('[data-testid="inspector-committed-config"]').text()).toBe('voters S1, S2, S3');
  });

  it('a configuration entry reads as its configuration in the log view', () => {
    expect(describeEntry({ command: null, config: { voters: [2, 3, 4], learners: [], outgoing: [1, 2, 3] } }))
      .toBe('configuration: voters S2, S3, S4 · old voters S1, S2, S3 (joint) (in effect once appended, §4.1)');
    expect(describeEntry({ command: null })).toMatch(/^no-op/);
  });
});
