import type { Post } from '../domain/model.js';
import type { PostPatch } from './store.js';

/**
 * Record helpers every Store shares, so that patches, event times and copies mean the same in each
 * implementation (the contract suite compares them field by field).
 */

/** The post with the patch applied; `null` removes a field, an absent or undefined one is left alone. */
export function patchPost(post: Post, patch: PostPatch): Post {
  const updated: Post = { ...post };
  const fields = updated as unknown as Record<string, unknown>;
  for (const key of ['body', 'editedAt', 'endorsedBy', 'endorsedAt', 'hidden'] as const) {
    const value = patch[key];
    if (value === null) delete fields[key];
    else if (value !== undefined) fields[key] = jsonCopy(value);
  }
  return updated;
}

/**
 * The time of a post.updated change: PostPatch carries no separate time, so the patch's own
 * timestamp is used, and the clock only for a change that has none (clearing an endorsement or a
 * hidden state).
 */
export function patchTime(patch: PostPatch): string {
  return patch.editedAt ?? patch.endorsedAt ?? patch.hidden?.at ?? new Date().toISOString();
}

/** A deep copy as the journal will replay it: undefined fields are gone, exactly as after a restart. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function withoutUndefined<T extends object>(value: T): T {
  const copy = { ...value };
  for (const key of Object.keys(copy) as Array<keyof T>) if (copy[key] === undefined) delete copy[key];
  return copy;
}

export function clientIdReused(clientId: string, usedFor: string): Error {
  return new Error(`clientId ${clientId} was already used by this author for ${usedFor}`);
}
