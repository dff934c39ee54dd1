/**
 * Parquet access shared by the Node readers: hyparquet loaded on first use, and files read through positioned reads.
 *
 * @module
 */
import type { FileHandle } from "node:fs/promises";
import { NextbestError, describeValue } from "../core/errors.ts";

/** The hyparquet module. */
export type Hyparquet = typeof import("hyparquet");

/** hyparquet is imported on first use only, so bundles that never read Parquet do not carry it. */
export async function loadHyparquet(fn: string): Promise<Hyparquet> {
  try {
    return await import("hyparquet");
  } catch (error) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: reading Parquet needs the package "hyparquet" (a dependency of nextbest), got ${describeValue(String(error))}`);
  }
}

/** A hyparquet AsyncBuffer over an open file: each slice is one positioned read, so a file is never read whole. */
export function fileBuffer(handle: FileHandle, size: number): { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> } {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const from = Math.max(0, Math.min(start, size));
      const length = Math.max(0, Math.min(end ?? size, size) - from);
      const bytes = new Uint8Array(length);
      let offset = 0;
      while (offset < length) {
        const { bytesRead } = await handle.read(bytes, offset, length - offset, from + offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return bytes.buffer;
    },
  };
}
