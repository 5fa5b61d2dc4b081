/**
 * When a search benchmark ran each experiment (OUT/sessions.jsonl): a line when a session starts, when
 * its top-k re-evaluation starts and when it ends, so a curve's clock can skip the time between
 * sessions and the re-evaluation.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type SessionLine = { experiment: string; start?: number; topK?: number; end?: number };

export interface SessionClock {
  /** Seconds of search (each session up to its top-k re-evaluation) before epoch ms `t`. */
  search(t: number): number;
  /** The sessions' seconds in all. */
  readonly wall: number;
}

export class SearchSessions {
  readonly file: string;

  constructor(out: string) {
    this.file = join(out, 'sessions.jsonl');
  }

  start(experiment: string): void {
    this.append({ experiment, start: Date.now() });
  }

  topK(experiment: string): void {
    this.append({ experiment, topK: Date.now() });
  }

  end(experiment: string): void {
    this.append({ experiment, end: Date.now() });
  }

  private append(line: SessionLine): void {
    appendFileSync(this.file, JSON.stringify(line) + '\n');
  }

  /** The sessions experiment `name` ran in; `events` are its store's epoch ms (a killed session ended with its last). */
  clock(name: string, createdAt: number, events: readonly number[]): SessionClock {
    const lines = existsSync(this.file) ? readFileSync(this.file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as SessionLine) : [];
    const sessions: { start: number; topK?: number; end?: number }[] = [];
    for (const l of lines.filter((x) => x.experiment === name)) {
      const last = sessions[sessions.length - 1];
      if (l.start !== undefined) sessions.push({ start: l.start });
      else if (last && last.end === undefined) Object.assign(last, l.topK !== undefined ? { topK: l.topK } : { end: l.end });
    }
    // A search begun elsewhere (tsnas search): one session from its creation to the first of ours.
    if (!sessions.length || createdAt < sessions[0]!.start) sessions.unshift({ start: createdAt });
    // A session killed before it logged its end ended with its last event.
    const closed = sessions.map((s, i) => {
      const next = sessions[i + 1]?.start ?? Infinity;
      const end = s.end ?? Math.max(s.start, ...events.filter((e) => e >= s.start && e < next));
      return { start: s.start, end, searchEnd: s.topK ?? end };
    });
    return {
      search: (t) => closed.reduce((sum, s) => sum + Math.max(0, Math.min(t, s.searchEnd) - s.start), 0) / 1000,
      wall: closed.reduce((sum, s) => sum + (s.end - s.start), 0) / 1000,
    };
  }
}
