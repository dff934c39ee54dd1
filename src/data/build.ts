// Internal: accumulates interactions as dense indices in growable typed arrays, then builds the CSR pair.
// Every public constructor (rows, columns, CSV, MovieLens, splits) ends here, so duplicate handling and
// timestamp merging live in one place. Not exported from the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import type { Id, IdIndex } from "../core/id-index.ts";
import { csrTranspose } from "../linalg/csr.ts";
import type { DuplicatePolicy } from "../linalg/csr.ts";
import type { CsrMatrix } from "../linalg/types.ts";
import type { InteractionEvents, Interactions } from "./types.ts";
import type { TimeUnit } from "../internal/time.ts";
import { brandInteractions } from "./validate.ts";

export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ["sum", "last", "max", "error"];

/** A growable id index seeded from an optional preset; returns the preset itself when nothing was added. */
export class IdIndexBuilder {
  readonly ids: Id[];
  readonly lookup: Map<Id, number>;
  private readonly preset: IdIndex | undefined;
  private readonly allowNew: boolean;

  constructor(preset: IdIndex | undefined, allowNew: boolean) {
    this.preset = preset;
    this.allowNew = allowNew;
    this.ids = preset === undefined ? [] : preset.ids.slice();
    this.lookup = preset === undefined ? new Map() : new Map(preset.lookup);
  }

  /** The index of `id`, adding it when new (or -1 when new ids are not allowed). */
  indexOf(id: Id): number {
    const found = this.lookup.get(id);
    if (found !== undefined) return found;
    if (!this.allowNew) return -1;
    const index = this.ids.length;
    this.lookup.set(id, index);
    this.ids.push(id);
    return index;
  }

  finish(): IdIndex {
    if (this.preset !== undefined && this.ids.length === this.preset.ids.length) return this.preset;
    return Object.freeze({ ids: Object.freeze(this.ids), lookup: this.lookup });
  }
}

/** Checks that `value` looks like an IdIndex (for preset options). */
export function checkIdIndex(fn: string, name: string, value: unknown): asserts value is IdIndex {
  const candidate = value as { ids?: unknown; lookup?: unknown } | null | undefined;
  if (
    typeof value !== "object" ||
    value === null ||
    !Array.isArray(candidate?.ids) ||
    !(candidate?.lookup instanceof Map) ||
    candidate.lookup.size !== candidate.ids.length
  ) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an IdIndex (from createIdIndex), got ${describeValue(value)}`);
  }
}

/** Interactions as dense index triplets, appended one at a time. */
export class TripletBuffer {
  count = 0;
  userIndices: Int32Array;
  itemIndices: Int32Array;
  values: Float64Array;
  timestamps: Float64Array | undefined;
  /** Caller-side position of each entry (row number, line number), kept only when errors must name it. */
  sources: Int32Array | undefined;

  constructor(withTimestamps: boolean, withSources: boolean, capacity = 1024) {
    this.userIndices = new Int32Array(capacity);
    this.itemIndices = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
    this.timestamps = withTimestamps ? new Float64Array(capacity) : undefined;
    this.sources = withSources ? new Int32Array(capacity) : undefined;
  }

  enableTimestamps(): void {
    if (this.timestamps === undefined) this.timestamps = new Float64Array(this.values.length);
  }

  push(user: number, item: number, value: number, timestamp: number, source: number): void {
    if (this.count === this.values.length) this.grow();
    const k = this.count++;
    this.userIndices[k] = user;
    this.itemIndices[k] = item;
    this.values[k] = value;
    if (this.timestamps !== undefined) this.timestamps[k] = timestamp;
    if (this.sources !== undefined) this.sources[k] = source;
  }

  private grow(): void {
    const capacity = Math.max(16, this.values.length * 2);
    const growInt = (a: Int32Array): Int32Array => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    const growFloat = (a: Float64Array): Float64Array => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.userIndices = growInt(this.userIndices);
    this.itemIndices = growInt(this.itemIndices);
    this.values = growFloat(this.values);
    if (this.timestamps !== undefined) this.timestamps = growFloat(this.timestamps);
    if (this.sources !== undefined) this.sources = growInt(this.sources);
  }
}

/** How an error names the caller-side position of entry `source` (e.g. `rows[3]`, `line 4`). */
export type SourceLabel = (source: number) => string;

/**
 * Builds Interactions from index triplets: two stable counting sorts (by item, then by user) give the entries
 * in (user, item, input order); runs of the same pair merge by the policy; timestamps keep the latest.
 * `"last"` takes the value of the latest timestamp (ties: the later entry), or the later entry without timestamps.
 * O(n + users + items).
 */
export function buildInteractions(
  fn: string,
  users: IdIndex,
  items: IdIndex,
  buffer: TripletBuffer,
  policy: DuplicatePolicy,
  label: SourceLabel,
  timeUnit?: TimeUnit,
): Interactions {
  const n = buffer.count;
  const rows = users.ids.length;
  const cols = items.ids.length;
  const { userIndices, itemIndices, values, timestamps, sources } = buffer;
  // Counting sort by item, then a stable counting sort by user.
  const byItemOrder = new Int32Array(n);
  const itemStart = new Int32Array(cols + 1);
  for (let k = 0; k < n; k++) itemStart[itemIndices[k]! + 1]!++;
  for (let c = 0; c < cols; c++) itemStart[c + 1]! += itemStart[c]!;
  for (let k = 0; k < n; k++) byItemOrder[itemStart[itemIndices[k]!]!++] = k;
  const order = new Int32Array(n);
  const userStart = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) userStart[userIndices[k]! + 1]!++;
  for (let r = 0; r < rows; r++) userStart[r + 1]! += userStart[r]!;
  const cursor = userStart.slice(0, rows);
  for (let q = 0; q < n; q++) {
    const k = byItemOrder[q]!;
    order[cursor[userIndices[k]!]!++] = k;
  }
  // Every event is kept beside the merged entries when the data has timestamps, so temporal splits can cut events
  // (a pair bought before and after a cut-off belongs to both sides) and repeat-purchase models see each purchase.
  const eventIndptr = timestamps === undefined ? undefined : new Int32Array(n + 1);
  const eventValues = timestamps === undefined ? undefined : new Float64Array(n);
  const eventTimes = timestamps === undefined ? undefined : new Float64Array(n);
  // Merge runs of the same (user, item).
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(n);
  const out = new Float64Array(n);
  const outTimes = timestamps === undefined ? undefined : new Float64Array(n);
  let nnz = 0;
  let q = 0;
  for (let r = 0; r < rows; r++) {
    const end = userStart[r + 1]!;
    while (q < end) {
      const first = order[q]!;
      const item = itemIndices[first]!;
      const runStart = q;
      let value = values[first]!;
      let time = timestamps === undefined ? 0 : timestamps[first]!;
      q++;
      while (q < end && itemIndices[order[q]!] === item) {
        const k = order[q]!;
        const v = values[k]!;
        const t = timestamps === undefined ? 0 : timestamps[k]!;
        if (policy === "sum") value += v;
        else if (policy === "max") value = v > value ? v : value;
        else if (policy === "last") {
          if (t >= time) value = v;
        } else {
          const a = sources === undefined ? first : sources[first]!;
          const b = sources === undefined ? k : sources[k]!;
          throw new NextbestError(
            "E_DUPLICATE",
            `${fn}: a (user, item) pair must not repeat under duplicates "error", got user ${describeValue(users.ids[r])}, item ${describeValue(items.ids[item])} at ${label(a)} and ${label(b)}`,
          );
        }
        if (t > time) time = t;
        q++;
      }
      if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
        const at = sources === undefined ? "" : ` (rows at ${label(sources[first]!)} and later)`;
        throw new NextbestError(
          "E_NON_FINITE",
          `${fn}: the summed value of a repeated (user, item) pair must be finite, got ${value} for user ${describeValue(users.ids[r])}, item ${describeValue(items.ids[item])}${at}`,
        );
      }
      indices[nnz] = item;
      out[nnz] = value;
      if (outTimes !== undefined) outTimes[nnz] = time;
      if (eventIndptr !== undefined) copyEventsInTimeOrder(order, runStart, q, values, timestamps!, eventValues!, eventTimes!);
      nnz++;
      if (eventIndptr !== undefined) eventIndptr[nnz] = q;
    }
    indptr[r + 1] = nnz;
  }
  const byUser: CsrMatrix = {
    rows,
    cols,
    indptr,
    indices: nnz === n ? indices : indices.slice(0, nnz),
    values: nnz === n ? out : out.slice(0, nnz),
  };
  const entryTimes = outTimes === undefined ? undefined : nnz === n ? outTimes : outTimes.slice(0, nnz);
  const events: InteractionEvents | undefined =
    eventIndptr === undefined
      ? undefined
      : Object.freeze({
          indptr: nnz === n ? eventIndptr : eventIndptr.slice(0, nnz + 1),
          values: eventValues!,
          timestamps: eventTimes!,
          duplicates: policy,
        });
  return freezeInteractions(users, items, byUser, entryTimes, events, entryTimes === undefined ? undefined : timeUnit);
}

// Copies the events order[from..to) (one (user, item) run, in input order) into the event arrays at the same
// positions, sorted by timestamp (stable: ties keep input order). Runs are short, so insertion sort.
function copyEventsInTimeOrder(
  order: Int32Array,
  from: number,
  to: number,
  values: Float64Array,
  timestamps: Float64Array,
  outValues: Float64Array,
  outTimes: Float64Array,
): void {
  for (let q = from; q < to; q++) {
    const k = order[q]!;
    const t = timestamps[k]!;
    const v = values[k]!;
    let p = q;
    while (p > from && outTimes[p - 1]! > t) {
      outTimes[p] = outTimes[p - 1]!;
      outValues[p] = outValues[p - 1]!;
      p--;
    }
    outTimes[p] = t;
    outValues[p] = v;
  }
}

/** Assembles a frozen Interactions from a finished byUser CSR (computing its transpose). */
export function freezeInteractions(
  users: IdIndex,
  items: IdIndex,
  byUser: CsrMatrix,
  timestamps: Float64Array | undefined,
  events?: InteractionEvents,
  timeUnit?: TimeUnit,
): Interactions {
  const byItem = csrTranspose(byUser);
  const data: { -readonly [K in keyof Interactions]: Interactions[K] } = { users, items, byUser, byItem, timestamps };
  if (events !== undefined) data.events = events;
  if (timeUnit !== undefined && timestamps !== undefined) data.timeUnit = timeUnit;
  return Object.freeze(brandInteractions(data));
}

/** Throws E_BAD_INPUT unless `policy` is one of the duplicate policies. */
export function checkDuplicatePolicy(fn: string, name: string, policy: unknown): asserts policy is DuplicatePolicy {
  if (!(DUPLICATE_POLICIES as readonly unknown[]).includes(policy)) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: ${name} must be one of "sum", "last", "max", "error", got ${describeValue(policy)}`,
    );
  }
}
