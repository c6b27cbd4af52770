/**
 * Actions on one record beside the generic edit and delete: those the enabled plugins declare for
 * its module (`ui.recordActions`), each shown only when the server says the caller may do it on
 * this record (`GET /api/data/<m>/<id>/can`).
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type ModuleMeta, type Rec } from './api.js';
import type { Session } from './session.js';
import { recordActionsOf } from './plugins/manifest.js';
import { PluginPiece } from './plugins/load-piece.js';
import type { RecordCan } from '../core/plugins/record-can-route.js';

export interface RecordActionProps {
  session: Session;
  module: ModuleMeta;
  /** The record as the detail page shows it: references embedded with their label (`{id, name}`). */
  record: Rec;
  /** Reads the record again, after an action changed it on the server. */
  reload: () => void;
}

/** What the caller may do with the record, asked again whenever the record changes; undefined while asking. */
export function useRecordCan(module: string, id: number, version: unknown): RecordCan | undefined {
  const [can, setCan] = useState<RecordCan>();
  useEffect(() => {
    let live = true;
    api.request<RecordCan>('GET', `/api/data/${encodeURIComponent(module)}/${id}/can`).then(
      (answer) => live && setCan(answer),
      // Not known: nothing is offered (the API would refuse it anyway).
      () => live && setCan({ update: false, delete: false, actions: {} }),
    );
    return () => {
      live = false;
    };
  }, [module, id, version]);
  return can;
}

/** The actions contributed for the record's module, or nothing. */
export function RecordActions(props: RecordActionProps & { can: RecordCan | undefined }) {
  const offered = recordActionsOf(props.module.name).filter(({ plugin, action }) => props.can?.actions[`${plugin.plugin}.${action.name}`] === true);
  const { can: _, ...rest } = props;
  return html`${offered.length > 0 && html`<div class="record-actions" data-testid="record-actions">
      ${offered.map(({ plugin, action }) => html`<${PluginPiece} key=${`${plugin.plugin}.${action.name}`} plugin=${plugin} component=${action.component} props=${rest} quiet=${true} />`)}
    </div>`}`;
}
