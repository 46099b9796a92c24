// PartitionSpec (`P`): for each array dimension, the mesh axes it is split over.

/** One dimension's entry: not split (null), split over one mesh axis, or over several (major first). */
export type SpecEntry = string | readonly string[] | null;

export class PartitionSpec {
  readonly entries: readonly SpecEntry[];
  constructor(...entries: SpecEntry[]) {
    this.entries = entries;
  }

  /** The mesh axes of dimension `d` (none past the spec's length). */
  axesOf(d: number): string[] {
    const e = this.entries[d];
    return e === null || e === undefined ? [] : typeof e === 'string' ? [e] : [...e];
  }

  toString(): string {
    return `PartitionSpec(${this.entries.map((e) => (e === null ? 'None' : typeof e === 'string' ? `'${e}'` : `(${e.map((n) => `'${n}'`).join(', ')})`)).join(', ')})`;
  }
}

/** `P('x', null)`: as `jax.sharding.PartitionSpec`. */
export const P = (...entries: SpecEntry[]): PartitionSpec => new PartitionSpec(...entries);
