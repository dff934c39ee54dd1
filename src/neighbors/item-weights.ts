// Shared by the item-weight models (EASE, RP3β): how interaction values enter the matrix X the weights are learned
// from, and the JSON of those options. Not exported by the barrel.
import { NextbestError, describeValue } from "../core/errors.ts";
import { freezeInteractions } from "../data/build.ts";
import { VALUE_TRANSFORMS, transformValues, type ValueTransform } from "../data/transform.ts";
import type { Interactions } from "../data/types.ts";
import { checkFiniteValues } from "../baselines/bias.ts";
import { badModel } from "../internal/serialize.ts";
import { assertOneOf } from "../internal/validate.ts";

/** The value options of an item-weight model, resolved. */
export interface ValueOptions {
  /** How values enter X. */
  readonly values: ValueTransform;
  /** Whether pairs with a negative value were left out of X. */
  readonly dropNegative: boolean;
}

/** Reads `options.values` (default `"binary"`) and `options.dropNegative` (default false). */
export function readValueOptions(fn: string, options: { readonly values?: unknown; readonly dropNegative?: unknown }): ValueOptions {
  const values = options.values ?? "binary";
  assertOneOf(fn, "options.values", values, VALUE_TRANSFORMS);
  const dropNegative = options.dropNegative ?? false;
  if (typeof dropNegative !== "boolean") {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.dropNegative must be a boolean, got ${describeValue(dropNegative)}`);
  }
  return { values, dropNegative };
}

/**
 * X: the interactions with every value transformed (`transformValues`), and with `dropNegative` the pairs whose raw
 * value is negative set to 0 (they stay in the pattern, so they stay seen). Transforms other than raw and binary need
 * values >= 0, and so does a random walk (`nonNegative`): a negative value then throws unless `dropNegative`.
 */
export function inputMatrix(fn: string, interactions: Interactions, options: ValueOptions, nonNegative: boolean): Interactions {
  const { byUser } = interactions;
  checkFiniteValues(fn, byUser);
  const { values: transform, dropNegative } = options;
  const nnz = byUser.indptr[byUser.rows]!;
  let firstNegative = -1;
  for (let p = 0; p < nnz && firstNegative < 0; p++) if (byUser.values[p]! < 0) firstNegative = p;
  if (firstNegative >= 0 && !dropNegative && (transform !== "binary" && (transform !== "raw" || nonNegative))) {
    let u = 0;
    while (byUser.indptr[u + 1]! <= firstNegative) u++;
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: interactions values must be >= 0 with options.values ${JSON.stringify(transform)}${nonNegative ? " (a random walk)" : ""} unless options.dropNegative, got ${describeValue(byUser.values[firstNegative])} for user ${describeValue(interactions.users.ids[u])}, item ${describeValue(interactions.items.ids[byUser.indices[firstNegative]!])}`,
    );
  }
  const drop = dropNegative && firstNegative >= 0;
  let source = interactions;
  if (drop) {
    const clamped = byUser.values.slice(0, nnz);
    for (let p = 0; p < nnz; p++) if (clamped[p]! < 0) clamped[p] = 0;
    source = freezeInteractions(interactions.users, interactions.items, { ...byUser, values: clamped }, undefined);
  }
  const transformed = transformValues(source, transform);
  if (!drop) return transformed;
  const x = transformed.byUser.values.slice(0, nnz);
  for (let p = 0; p < nnz; p++) if (byUser.values[p]! < 0) x[p] = 0;
  return freezeInteractions(interactions.users, interactions.items, { ...byUser, values: x }, undefined);
}

/** Reads `json.values` and `json.dropNegative` of an item-weight model. */
export function valueOptionsFromJSON(fn: string, record: Readonly<Record<string, unknown>>): ValueOptions {
  const values = record["values"];
  if (typeof values !== "string" || !(VALUE_TRANSFORMS as readonly string[]).includes(values)) {
    badModel(fn, "json.values", `be one of ${VALUE_TRANSFORMS.map((t) => JSON.stringify(t)).join(", ")}`, values);
  }
  const dropNegative = record["dropNegative"];
  if (typeof dropNegative !== "boolean") badModel(fn, "json.dropNegative", "be a boolean", dropNegative);
  return { values: values as ValueTransform, dropNegative };
}
