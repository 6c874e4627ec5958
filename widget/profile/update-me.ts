import type { ProfileView, UpdateVisitorBody } from '../../server/protocol.js';
import type { ForumController } from '../controllers/forum.controller.js';
import type { Identity } from '../lib/api.js';
import { authed } from '../lib/authed.js';
import { readJson, writeJson } from '../lib/storage.js';

/**
 * Changes the visitor's name or self-declared profile, keeps the stored identity's name in step and shows the
 * new name everywhere. Rejects with the ApiError the caller shows.
 */
export async function updateMe(forum: ForumController, body: UpdateVisitorBody): Promise<void> {
  const api = forum.api!;
  const profile = await authed<ProfileView>(api, '/api/visitors/me', 'PATCH', body);
  const stored = readJson<Identity>(api.identityKey);
  if (stored) writeJson(api.identityKey, { ...stored, visitor: { ...stored.visitor, name: profile.name } });
  forum.learn(profile);
}
