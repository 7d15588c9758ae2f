// Message size as 6.5840 counts it for the RPC byte test: here, the UTF-8 length of the message's JSON.

import type { Message } from '../../raft/types';
import { utf8ByteLength } from '../../kv/utf8';

export function jsonBytes(message: Message): number {
  return utf8ByteLength(JSON.stringify(message));
}
