/**
 * Due lifecycle transitions (pending → running, updating → running, deleting → gone),
 * as a binary min-heap on due time. The simulated cloud drains what is due at the start
 * of every call, so transitions happen on the sim clock without any timers to leak.
 */
export interface Transition {
  readonly due: number;
  /** Order of scheduling, to break ties deterministically. */
  readonly seq: number;
  readonly key: string;
  readonly to: 'running' | 'gone';
}

export class LifecycleQueue {
  private readonly heap: Transition[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(due: number, key: string, to: Transition['to']): number {
    const t: Transition = { due, seq: ++this.seq, key, to };
    this.heap.push(t);
    this.up(this.heap.length - 1);
    return t.seq;
  }

  /** Removes and returns transitions due at or before `now`, earliest first. */
  *drain(now: number): IterableIterator<Transition> {
    while (this.heap.length > 0 && this.heap[0].due <= now) {
      const top = this.heap[0];
      const last = this.heap.pop() as Transition;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.down(0);
      }
      yield top;
    }
  }

  private less(a: Transition, b: Transition): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i], this.heap[parent])) return;
      [this.heap[i], this.heap[parent]] = [this.heap[parent], this.heap[i]];
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && this.less(this.heap[l], this.heap[m])) m = l;
      if (r < this.heap.length && this.less(this.heap[r], this.heap[m])) m = r;
      if (m === i) return;
      [this.heap[i], this.heap[m]] = [this.heap[m], this.heap[i]];
      i = m;
    }
  }
}
