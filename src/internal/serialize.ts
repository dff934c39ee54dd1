// Shared helpers for model JSON: typed arrays and id indexes to plain JSON and back.
// Every reader validates what it reads and throws E_BAD_MODEL naming the offending field, so a truncated or
// hand-edited model file fails at load time with a message that points at the broken field, never later inside a
// kernel. Messages follow "<function>: <field> must <rule>, got <value>".
// No barrel exports these: each model's `xToJSON` / `xFromJSON` pair is the public face.
import { NextbestError, describeValue } from "../core/errors.ts";
import { idIndexFromJSON, idIndexToJSON, type IdIndex, type IdIndexJSON } from "../core/id-index.ts";

/** Throws E_BAD_MODEL with the message `"<fn>: <field> must <rule>, got <value>"`. */
export function badModel(fn: string, field: string, rule: string, value: unknown): never {
  throw new NextbestError("E_BAD_MODEL", `${fn}: ${field} must ${rule}, got ${describeValue(value)}`);
}

/**
 * Checks the envelope every serialized model shares: a plain object with the expected `kind` and a supported
 * `version`. Returns the object as a record so the caller can read its fields.
 */
export function readModelEnvelope(
  fn: string,
  json: unknown,
  kind: string,
  supportedVersions: readonly number[],
): Readonly<Record<string, unknown>> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    badModel(fn, "json", "be an object (a parsed model)", json);
  }
  const record = json as Record<string, unknown>;
  if (record["kind"] !== kind) {
    badModel(fn, "json.kind", `be ${JSON.stringify(kind)}`, record["kind"]);
  }
  const version = record["version"];
  if (typeof version !== "number" || !supportedVersions.includes(version)) {
    const list = supportedVersions.join(" or ");
    badModel(fn, "json.version", `be ${list} (the versions this release reads)`, version);
  }
  return record;
}

/** A plain array copy of a typed array, ready for `JSON.stringify` (typed arrays stringify as objects). */
export function typedArrayToJSON(values: Float64Array | Float32Array | Int32Array): number[] {
  return Array.from(values);
}

/** The JSON form of an id index (a fresh array of the ids). */
export function idIndexFieldToJSON(index: IdIndex): IdIndexJSON {
  return idIndexToJSON(index);
}

function requireArray(fn: string, field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) {
    const hint = ArrayBuffer.isView(value) || (typeof value === "object" && value !== null)
      ? "be an array of numbers (serialize models with their toJSON helper, not JSON.stringify(model))"
      : "be an array of numbers";
    badModel(fn, field, hint, value);
  }
  return value;
}

function requireLength(fn: string, field: string, values: unknown[], length: number | undefined, what: string): void {
  if (length !== undefined && values.length !== length) {
    throw new NextbestError(
      "E_BAD_MODEL",
      `${fn}: ${field} must have length ${length}${what ? ` (${what})` : ""}, got length ${values.length}`,
    );
  }
}

/** Options of the typed-array readers. */
export interface ArrayFieldOptions {
  /** Required length, when known. */
  readonly length?: number;
  /** Says what the length is, for the message (e.g. "one per item"). */
  readonly lengthMeaning?: string;
}

/** Reads a JSON array of finite numbers into a new Float64Array, checking its length and every value. */
export function float64ArrayFromJSON(fn: string, field: string, value: unknown, options: ArrayFieldOptions = {}): Float64Array {
  const values = requireArray(fn, field, value);
  requireLength(fn, field, values, options.length, options.lengthMeaning ?? "");
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) badModel(fn, `${field}[${i}]`, "be a finite number", v);
    out[i] = v;
  }
  return out;
}

/** Options of {@link int32ArrayFromJSON}. */
export interface IntegerArrayFieldOptions extends ArrayFieldOptions {
  /** Smallest allowed value (inclusive). @defaultValue -2^31 */
  readonly min?: number;
  /** Largest allowed value (inclusive). @defaultValue 2^31 - 1 */
  readonly max?: number;
}

/** Reads a JSON array of integers in [min, max] into a new Int32Array, checking its length and every value. */
export function int32ArrayFromJSON(
  fn: string,
  field: string,
  value: unknown,
  options: IntegerArrayFieldOptions = {},
): Int32Array {
  const values = requireArray(fn, field, value);
  requireLength(fn, field, values, options.length, options.lengthMeaning ?? "");
  const min = options.min ?? -2147483648;
  const max = options.max ?? 2147483647;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      badModel(fn, `${field}[${i}]`, `be an integer in [${min}, ${max}]`, v);
    }
    out[i] = v;
  }
  return out;
}

/** Reads an id index field, re-labelling its errors with the field name. */
export function idIndexFieldFromJSON(fn: string, field: string, value: unknown): IdIndex {
  try {
    return idIndexFromJSON(value);
  } catch (error) {
    if (error instanceof NextbestError) {
      const detail = error.message.replace(/^idIndexFromJSON: json/, field).replace(/^idIndexFromJSON: /, `${field}.`);
      throw new NextbestError("E_BAD_MODEL", `${fn}: ${detail}`);
    }
    throw error;
  }
}

/** Reads a seed field: a string or a finite number. */
export function seedFromJSON(fn: string, field: string, value: unknown): string | number {
  if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) return value;
  return badModel(fn, field, "be a string or a finite number", value);
}

/** A compressed row structure (the pattern of a CSR matrix, without values). */
export interface CompressedRows {
  /** `rows + 1` non-decreasing offsets, from 0 to `indices.length`. */
  readonly indptr: Int32Array;
  /** Column of each entry, strictly increasing within a row, in [0, cols). */
  readonly indices: Int32Array;
}

/**
 * Reads and validates a compressed row pattern: `indptr` has `rows + 1` entries starting at 0, never decreasing and
 * ending at `indices.length`; each row's indices are strictly increasing integers in [0, cols).
 */
export function compressedRowsFromJSON(
  fn: string,
  indptrField: string,
  indicesField: string,
  indptrValue: unknown,
  indicesValue: unknown,
  rows: number,
  cols: number,
): CompressedRows {
  const indices = int32ArrayFromJSON(fn, indicesField, indicesValue, { min: 0, max: Math.max(0, cols - 1) });
  if (cols === 0 && indices.length > 0) badModel(fn, indicesField, "be empty when there are no columns", indicesValue);
  const indptr = int32ArrayFromJSON(fn, indptrField, indptrValue, {
    length: rows + 1,
    lengthMeaning: "one per row plus one",
    min: 0,
    max: indices.length,
  });
  if (indptr[0] !== 0) badModel(fn, `${indptrField}[0]`, "be 0", indptr[0]);
  if (indptr[rows] !== indices.length) {
    badModel(fn, `${indptrField}[${rows}]`, `be the number of entries ${indices.length}`, indptr[rows]);
  }
  for (let r = 0; r < rows; r++) {
    if (indptr[r + 1]! < indptr[r]!) badModel(fn, `${indptrField}[${r + 1}]`, `be >= ${indptrField}[${r}] = ${indptr[r]}`, indptr[r + 1]);
  }
  for (let r = 0; r < rows; r++) {
    const start = indptr[r]!;
    const end = indptr[r + 1]!;
    for (let p = start + 1; p < end; p++) {
      if (indices[p]! <= indices[p - 1]!) {
        badModel(fn, `${indicesField}[${p}]`, `be greater than ${indicesField}[${p - 1}] = ${indices[p - 1]} (row ${r} must be strictly increasing)`, indices[p]);
      }
    }
  }
  return { indptr, indices };
}
