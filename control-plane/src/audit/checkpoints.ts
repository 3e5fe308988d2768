import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Signed checkpoints of the audit chain's head, kept outside the database (issue 19.4). A database
 * administrator who cuts records from the end and moves the head back, or rewrites the chain from some
 * record on, cannot also rewrite what was exported: `audit.verify` compares the chain with every checkpoint.
 */
export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
  /** HMAC-SM3 over the three fields above with the checkpoint key. */
  mac: string;
}

export interface CheckpointSink {
  /** Where the checkpoints are, for the verify answer and the log (a path, or "memory"). */
  readonly where: string;
  append(c: Checkpoint): Promise<void>;
  all(): Promise<Checkpoint[]>;
}

export function signCheckpoint(key: Buffer, c: Omit<Checkpoint, 'mac'>): Checkpoint {
  return { ...c, mac: checkpointMac(key, c) };
}

export function checkpointIsAuthentic(key: Buffer, c: Checkpoint): boolean {
  const expected = Buffer.from(checkpointMac(key, c), 'hex');
  const given = Buffer.from(typeof c.mac === 'string' ? c.mac : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function checkpointMac(key: Buffer, c: Omit<Checkpoint, 'mac'>): string {
  return createHmac('sm3', key).update(`ganyun-audit-checkpoint\n${c.seq}\n${c.hash}\n${c.at}`).digest('hex');
}

/**
 * One JSON line per checkpoint, appended and flushed to disk. Point `GANYUN_AUDIT_CHECKPOINT_FILE` at storage
 * the database's administrators cannot write (another host's mount, a WORM volume, a log shipper's spool).
 * A line that does not parse is returned as an unauthentic checkpoint, so an edit of the file is reported.
 */
export class FileCheckpointSink implements CheckpointSink {
  constructor(readonly where: string) {}

  async append(c: Checkpoint): Promise<void> {
    await mkdir(dirname(this.where), { recursive: true });
    await appendFile(this.where, JSON.stringify(c) + '\n', { mode: 0o600 });
    const handle = await open(this.where, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async all(): Promise<Checkpoint[]> {
    let text: string;
    try {
      text = await readFile(this.where, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return text.split('\n').filter((l) => l.trim()).map((line) => {
      try {
        const c = JSON.parse(line) as Checkpoint;
        return { seq: Number(c.seq), hash: String(c.hash), at: String(c.at), mac: String(c.mac) };
      } catch {
        return { seq: 0, hash: '', at: '', mac: '' };
      }
    });
  }
}

/** For specs and tools: the same contract, in memory. */
export class MemoryCheckpointSink implements CheckpointSink {
  readonly where = 'memory';
  readonly lines: Checkpoint[] = [];
  async append(c: Checkpoint): Promise<void> {
    this.lines.push({ ...c });
  }
  async all(): Promise<Checkpoint[]> {
    return this.lines.map((c) => ({ ...c }));
  }
}
