// Index arithmetic shared by the batching rules of the slicing, sorting, cumulative and windowed
// primitives: where a new batch axis goes among an operation's dimension lists.

/** `dims` after a new axis is inserted at `at`: those at or after it move up by one. */
export const shiftDims = (dims: readonly number[], at: number): number[] => dims.map((d) => (d >= at ? d + 1 : d));

/** A per-example axis as an axis of the value batched at `bdim`. */
export const batchedAxis = (axis: number, bdim: number): number => (axis >= bdim ? axis + 1 : axis);

/** `xs` with `value` inserted at `index`. */
export const insertAt = <T>(xs: readonly T[], index: number, value: T): T[] => [...xs.slice(0, index), value, ...xs.slice(index)];

/** How many of `dims` are less than `at`. */
export const countBelow = (dims: readonly number[], at: number): number => dims.filter((d) => d < at).length;

/** The axes of `[0, rank)` not in `dims`, in order. */
export const complement = (dims: readonly number[], rank: number): number[] =>
  globalThis.Array.from({ length: rank }, (_, i) => i).filter((i) => !dims.includes(i));

/**
 * The positions [lo, hi] (numbered after insertion) where a new axis of a rank-`rank` array can
 * go so that exactly `k` axes of the sorted list `group` come before it. Gather and scatter pair
 * their dimension lists by order, so a new axis must take the same rank in both lists it joins.
 */
export function slotRange(group: readonly number[], k: number, rank: number): [number, number] {
  return [k === 0 ? 0 : group[k - 1]! + 1, k === group.length ? rank : group[k]!];
}

/** `preferred` if it lies in [lo, hi], else the nearest end. */
export const clampTo = (preferred: number, [lo, hi]: [number, number]): number => Math.min(Math.max(preferred, lo), hi);

/** Whether `x` lies in [lo, hi]. */
export const within = (x: number, [lo, hi]: [number, number]): boolean => x >= lo && x <= hi;
