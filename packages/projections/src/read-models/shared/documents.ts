/**
 * Reading and paging read-model documents. Stores hand back `JsonValue`: every document is
 * validated before use, because a read model written by an older version of the code (or by hand)
 * must fail loudly rather than be half-understood.
 */
import type { z } from 'zod';
import type { JsonValue, ReadModelDocument } from '@misas/core';
import type { ReadModelReader } from '../../engine/generations.ts';

/** A stored document does not match the schema this code expects: rebuild the projection. */
export class ReadModelDocumentError extends Error {
  readonly collection: string;
  readonly key: string;
  constructor(collection: string, key: string, issues: readonly z.core.$ZodIssue[]) {
    // Paths and rule codes only: a document never has its values echoed into logs.
    const where = issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'} [${issue.code}]`).join(', ');
    super(`read model document ${collection}/${key} does not match its schema (rebuild the projection): ${where}`);
    this.name = 'ReadModelDocumentError';
    this.collection = collection;
    this.key = key;
  }
}

/** Validates one stored document; `undefined` when there is none. */
export function decodeDocument<S extends z.ZodType>(
  schema: S,
  value: JsonValue | undefined,
  collection: string,
  key: string,
): z.output<S> | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ReadModelDocumentError(collection, key, parsed.error.issues);
  return parsed.data;
}

/** Anything documents can be read from: a query's reader, or a projection's transaction. */
export type DocumentSource = Pick<ReadModelReader, 'get' | 'list'>;

/** A lone surrogate, or a run of anything else (well-formed pairs included). */
const surrogateOrRun = /\p{Cs}|[^\p{Cs}]+/gu;
/** `%uD800` (what `keyPart` writes for a lone surrogate), or a run of what `encodeURIComponent` writes. */
const encodedSurrogateOrRun = /%u([0-9A-F]{4})|(?:%[0-9A-F]{2}|[^%])+/g;

/**
 * One component of a composite key. Encoded so that the `/` separating components never occurs
 * inside one: a prefix of `encoded(a)/` then selects exactly the keys of `a`.
 *
 * Never throws: `encodeURIComponent` alone throws a `URIError` on a lone surrogate, which once
 * stopped every later catch-up of a store. Ids are refused with one since (`Id` in core), but a
 * query argument may still carry one; it is written `%uD800`, which `encodeURIComponent` never
 * writes (`%` is always `%25`, and `u` is no hex digit), so distinct values keep distinct keys.
 */
export function keyPart(value: string): string {
  return value.replace(surrogateOrRun, (part) =>
    part.length === 1 && /\p{Cs}/u.test(part) ? `%u${part.charCodeAt(0).toString(16).toUpperCase()}` : encodeURIComponent(part),
  );
}

/** The value a {@link keyPart} was made from. */
export function keyPartValue(part: string): string {
  return part.replace(encodedSurrogateOrRun, (run, surrogate: string | undefined) =>
    surrogate === undefined ? decodeURIComponent(run) : String.fromCharCode(Number.parseInt(surrogate, 16)),
  );
}

/** Orders strings by code point, as every projection store orders keys (never by locale). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every document of a collection (or of a key prefix), in key order, read page by page. */
export async function* scanDocuments(
  source: DocumentSource,
  collection: string,
  options: { readonly prefix?: string; readonly after?: string; readonly pageSize?: number } = {},
): AsyncGenerator<ReadModelDocument> {
  const pageSize = options.pageSize ?? 500;
  let after = options.after;
  for (;;) {
    const page = await source.list(collection, {
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(after === undefined ? {} : { after }),
      limit: pageSize,
    });
    yield* page;
    if (page.length < pageSize) return;
    after = page.at(-1)?.key;
  }
}

/** Validates and collects every document of a collection (or of a key prefix), in key order. */
export async function readAllDocuments<S extends z.ZodType>(
  source: DocumentSource,
  collection: string,
  schema: S,
  options: { readonly prefix?: string } = {},
): Promise<z.output<S>[]> {
  const result: z.output<S>[] = [];
  for await (const document of scanDocuments(source, collection, options)) {
    const value = decodeDocument(schema, document.value, collection, document.key);
    if (value !== undefined) result.push(value);
  }
  return result;
}
