// Maelstrom's messages as the relay reads them from a student's stdout: what is malformed is said precisely.
import { describe, expect, it } from 'vitest';
import { decodeRelayFrame, encodeRelayFrame, isDefiniteError, nodeNumberOf, parseMaelstromLine } from '../../../../src/protocol/maelstrom';

describe('parseMaelstromLine', () => {
  it('accepts a message with extra body fields and keeps them', () => {
    const parsed = parseMaelstromLine('{"src":"n1","dest":"n2","body":{"type":"append_entries","msg_id":3,"term":2,"entries":[]}}');
    expect(parsed).toEqual({ ok: true, message: { src: 'n1', dest: 'n2', body: { type: 'append_entries', msg_id: 3, term: 2, entries: [] } } });
  });

  it('takes a null msg_id or in_reply_to as absent (Python\'s body.get("msg_id") on a message that had none)', () => {
    expect(parseMaelstromLine('{"src":"n1","dest":"n2","body":{"type":"gossip_ok","in_reply_to":null,"msg_id":null}}'))
      .toEqual({ ok: true, message: { src: 'n1', dest: 'n2', body: { type: 'gossip_ok' } } });
  });

  it.each([
    ['not json', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    ['{"dest":"n2","body":{"type":"x"}}', 'missing field "src"'],
    ['{"src":"n1","body":{"type":"x"}}', 'missing field "dest"'],
    ['{"src":"n1","dest":"n2"}', 'missing field "body"'],
    ['{"src":"n1","dest":"n2","body":{}}', 'missing field "body.type"'],
    ['{"src":"n1","dest":"n2","body":{"type":"x","msg_id":-1}}', 'body.msg_id'],
    ['{"src":"n1","dest":"n2","body":{"type":"x","in_reply_to":"7"}}', 'body.in_reply_to'],
    ['{"src":"n1","dest":"n2","body":{"type":""}}', 'body.type'],
  ])('%s is malformed: %s', (line, problem) => {
    const parsed = parseMaelstromLine(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });
});

describe('node names, error codes and relay frames', () => {
  it('names nodes n1..n25 only', () => {
    expect(nodeNumberOf('n1')).toBe(1);
    expect(nodeNumberOf('n25')).toBe(25);
    for (const name of ['n0', 'n26', 'n01', 'c1', 'lab', 'n1x']) expect(nodeNumberOf(name)).toBeNull();
  });

  it('20 and 22 are definite; timeouts, 11 and 13 are not', () => {
    expect(isDefiniteError(20)).toBe(true);
    expect(isDefiniteError(22)).toBe(true);
    for (const code of [0, 11, 13, 99]) expect(isDefiniteError(code)).toBe(false);
  });

  it('a relay frame round-trips, and one whose message does not match its addressing is refused', () => {
    const frame = { v: 1 as const, id: '1-1', sentAtNs: 5, from: 1, to: 2, msg: { src: 'n1', dest: 'n2', body: { type: 'x' } } };
    expect(decodeRelayFrame(encodeRelayFrame(frame))).toEqual({ ok: true, frame });
    const forged = decodeRelayFrame(encodeRelayFrame({ ...frame, msg: { ...frame.msg, src: 'n3' } }));
    expect(forged.ok).toBe(false);
  });
});
