/**
 * Events the sections send up to <osg-admin>. They bubble and are composed so a button deep inside a section's
 * shadow root reaches the page shell; the names are prefixed `osg-admin-`.
 */
export interface AnnounceDetail {
  message: string;
}
export interface OpenMemberDetail {
  memberId: string;
}

/** Asks the page to read `message` in its live region (a result an officer should hear). */
export function announce(target: EventTarget, message: string): void {
  target.dispatchEvent(new CustomEvent<AnnounceDetail>('osg-admin-announce', { detail: { message }, bubbles: true, composed: true }));
}

/** Asks the page to open a member in the "Anggota" section. */
export function openMember(target: EventTarget, memberId: string): void {
  target.dispatchEvent(new CustomEvent<OpenMemberDetail>('osg-admin-open-member', { detail: { memberId }, bubbles: true, composed: true }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'osg-admin-announce': CustomEvent<AnnounceDetail>;
    'osg-admin-open-member': CustomEvent<OpenMemberDetail>;
  }
}

/** The officer signed in; the page switches from the form to the sections. */
export function signedIn(target: EventTarget): void {
  target.dispatchEvent(new CustomEvent('osg-admin-signed-in', { bubbles: true, composed: true }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'osg-admin-signed-in': CustomEvent<undefined>;
  }
}

export interface OpenFollowUpDetail {
  /** The thread to open, or null for the inbox. */
  threadId: string | null;
}

/** Asks the "Tindak lanjut" section to open a thread (or, with null, to go back to the inbox). */
export function openFollowUp(target: EventTarget, threadId: string | null): void {
  target.dispatchEvent(new CustomEvent<OpenFollowUpDetail>('osg-admin-open-follow-up', { detail: { threadId }, bubbles: true, composed: true }));
}

export interface FollowUpWrittenDetail {
  threadId: string;
  version: number;
}

/** This page changed a follow-up (answer, status, assignment): its own change is not "unread". */
export function followUpWritten(target: EventTarget, threadId: string, version: number): void {
  target.dispatchEvent(new CustomEvent<FollowUpWrittenDetail>('osg-admin-follow-up-written', { detail: { threadId, version }, bubbles: true, composed: true }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'osg-admin-open-follow-up': CustomEvent<OpenFollowUpDetail>;
    'osg-admin-follow-up-written': CustomEvent<FollowUpWrittenDetail>;
  }
}
