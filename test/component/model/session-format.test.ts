import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { LabHistory } from '../../../renderer/src/model/lab-history';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { historyFromSession, sessionFromHistory } from '../../../renderer/src/session/session-build';
import { SessionFormatError, parseSession, serializeSession } from '../../../renderer/src/session/session-format';
import { randomStream } from './event-builders';

function recordedHistory(count: number, maxEvents?: number): LabHistory {
  const history = new LabHistory(emptyModel(DEFAULT_SETTINGS, 5), maxEvents ? { maxEvents, checkpointEvery: 100 } : {});
  history.append(randomStream(21, count).events);
  return history;
}

function errorOf(run: () => unknown): SessionFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof SessionFormatError) return error;
    throw error;
  }
  throw new Error('expected a SessionFormatError');
}

describe('session files', () => {
  it('round-trips: a loaded session replays to the same views as the recording', () => {
    const history = recordedHistory(800);
    const text = serializeSession(sessionFromHistory(history, new Date('2025-03-01T10:00:00Z')));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(801);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'raft-lab-session', version: 1, savedAt: '2025-03-01T10:00:00.000Z' });
    const replayed = historyFromSession(parseSession(text));
    expect(replayed.live).toEqual(history.live);
    for (const seq of [0, 17, 400, 799]) expect(replayed.stateAt(seq)).toEqual(history.stateAt(seq));
  });

  it('round-trips a trimmed window: the base (logs and KV state included) is saved in the header', () => {
    const history = recordedHistory(3000, 1000);
    expect(history.baseSeq).toBeGreaterThan(0);
    const replayed = historyFromSession(parseSession(serializeSession(sessionFromHistory(history, new Date()))));
    expect(replayed.baseSeq).toBe(history.baseSeq);
    expect(replayed.live.nodes).toEqual(history.live.nodes);
    expect(replayed.stateAt(history.firstSeq + 200).nodes).toEqual(history.stateAt(history.firstSeq + 200).nodes);
  });

  it('names the line of a malformed event', () => {
    const text = serializeSession(sessionFromHistory(recordedHistory(10), new Date()));
    const lines = text.trimEnd().split('\n');
    lines[4] = JSON.stringify({ ...JSON.parse(lines[4]!), type: 'explosion' });
    const error = errorOf(() => parseSession(lines.join('\n')));
    expect(error.line).toBe(5);
    expect(error.message).toMatch(/^session file, line 5: not a valid lab event/);
  });

  it('names the line of text that is not JSON, and of events out of order', () => {
    const lines = serializeSession(sessionFromHistory(recordedHistory(10), new Date())).trimEnd().split('\n');
    expect(errorOf(() => parseSession([...lines.slice(0, 3), '{"seq": 1,', ...lines.slice(3)].join('\n'))).line).toBe(4);
    const swapped = [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)];
    const error = errorOf(() => parseSession(swapped.join('\n')));
    expect(error.line).toBe(3);
    expect(error.message).toContain('does not follow');
  });

  it('rejects a file that is not a session, or of another version, on line 1', () => {
    expect(errorOf(() => parseSession('hello\n')).message).toMatch(/line 1: not JSON/);
    expect(errorOf(() => parseSession('{"format":"something-else"}\n')).message).toMatch(/line 1: not a Raft Lab session/);
    const header = JSON.parse(serializeSession(sessionFromHistory(recordedHistory(1), new Date())).split('\n')[0]!);
    expect(errorOf(() => parseSession(JSON.stringify({ ...header, version: 9 }))).message).toMatch(/line 1: unsupported session version 9/);
    expect(errorOf(() => parseSession(JSON.stringify({ ...header, base: { phase: 'running' } }))).message).toMatch(/line 1: invalid header/);
    expect(errorOf(() => parseSession('')).line).toBe(1);
  });

  it('accepts CRLF line endings and blank lines', () => {
    const session = sessionFromHistory(recordedHistory(5), new Date());
    const text = serializeSession(session);
    expect(parseSession(text.replace(/\n/g, '\r\n\r\n')).events).toEqual(session.events);
  });
});
