import { css } from 'lit';

/** The follow-up queue's inbox, thread view and panel; they share the sections' cards, chips and toolbars. */
export default css`
  [hidden] {
    display: none !important;
  }
  .live {
    display: flex;
    align-items: center;
    gap: 0.4em;
    margin: calc(var(--_space) * 0.5) 0;
  }
  .live .dot {
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_muted);
  }
  .live[data-state='online'] .dot {
    background: var(--_success);
  }
  .live[data-state='offline'] {
    color: var(--_danger);
  }
  .live[data-state='offline'] .dot {
    background: var(--_danger);
  }
  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
    gap: calc(var(--_space) * 0.5);
    align-items: end;
    margin: calc(var(--_space) * 0.75) 0;
  }
  .filters .words {
    grid-column: span 2;
  }
  @media (max-width: 480px) {
    .filters {
      grid-template-columns: minmax(0, 1fr);
    }
    .filters .words {
      grid-column: auto;
    }
  }
  .counts {
    display: grid;
    gap: calc(var(--_space) * 0.4);
    margin-bottom: calc(var(--_space) * 0.75);
  }
  .count-group {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.3);
  }
  button.count {
    padding: 0.15em 0.7em;
    border-radius: 999px;
    font-size: 0.9em;
  }
  button.count[aria-pressed='true'] {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
  }
  .row .row-head {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.4);
    align-items: center;
  }
  .row.unread {
    border-left: 4px solid var(--_primary);
  }
  .thread-title {
    display: block;
    font-weight: 600;
    text-align: left;
    overflow-wrap: anywhere;
  }
  .meta {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .tracking {
    font-weight: 600;
  }
  .chip.sla-warning {
    border-color: #b45309;
    color: #92400e;
  }
  .chip.sla-breached,
  .chip.new {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .chip.sla-met,
  .chip.status-selesai {
    border-color: var(--_success);
    color: var(--_success);
  }
  .chip.status-diproses {
    border-color: var(--_primary);
    color: var(--_primary);
  }
  .load-more {
    margin-top: calc(var(--_space) * 0.75);
    width: 100%;
  }
  .back {
    margin-bottom: calc(var(--_space) * 0.5);
  }
  /* The panel keeps at least 20rem beside the conversation; below that it goes under it. */
  .thread-layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_space);
  }
  @media (min-width: 56rem) {
    .thread-layout {
      grid-template-columns: minmax(0, 1fr) minmax(20rem, 24rem);
      align-items: start;
    }
  }
  .conversation > * + * {
    margin-top: calc(var(--_space) * 0.75);
  }
  .side > * + * {
    margin-top: var(--_space);
  }
  ol.posts {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  .post.official {
    border-color: var(--_primary);
    border-left-width: 4px;
  }
  .post-head {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.4);
    align-items: baseline;
    margin: 0;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 0;
  }
  /* Labels on top of their values: a due cell ("sisa 40 jam kerja" and a date with its zone) needs the width. */
  .panel-facts {
    grid-template-columns: minmax(0, 1fr);
    gap: 0;
  }
  .panel-facts dd {
    margin-bottom: calc(var(--_space) * 0.5);
  }
  .due {
    display: flex;
    flex-wrap: wrap;
    column-gap: 0.6em;
  }
  .due-left {
    white-space: nowrap;
    font-weight: 600;
  }
  .due-left[data-late='true'] {
    color: var(--_danger);
  }
  .due-date {
    white-space: nowrap;
  }
  .panel .actions + .assign-to,
  .moves {
    margin-top: calc(var(--_space) * 0.75);
  }
  .moves p {
    margin: 0 0 0.3em;
  }
  .assign-to select {
    flex: 1 1 10rem;
    width: auto;
  }
  .history ol {
    padding-left: 1.2em;
    margin: calc(var(--_space) * 0.4) 0 0;
  }
  .history li {
    overflow-wrap: anywhere;
  }
  .presence:empty {
    display: none;
  }
  .presence {
    color: var(--_primary);
    font-style: italic;
    margin: 0;
  }
  .stale {
    border-color: #b45309;
    background: #fffbeb;
  }
  .stale p {
    margin: 0 0 0.3em;
  }
  .reply label {
    display: block;
    font-weight: 600;
  }
  .notifications summary {
    cursor: pointer;
    font-weight: 600;
  }
  .badge {
    background: var(--_danger);
    color: #fff;
    border-radius: 999px;
    padding: 0 0.5em;
    margin-left: 0.4em;
    font-size: 0.85em;
  }
  ul.plain {
    list-style: none;
    padding: 0;
  }
  ul.plain li.unread {
    font-weight: 600;
  }
`;
