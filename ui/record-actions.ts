/**
 * Actions a feature contributes to one module's detail page, beside the generic edit and delete
 * (the CRM's enrollment link and review on an enrollment). The list is explicit and short, like
 * the public pages' (public/public-routes.ts): the detail page stays generic, and each contribution
 * checks for itself that the modules and actions it needs are there, rendering nothing otherwise.
 */
import { html } from 'htm/preact';
import type { FunctionComponent } from 'preact';
import type { ModuleMeta, Rec } from './api.js';
import type { Session } from './session.js';
import { EnrollmentActions } from './crm/enrollment-actions.js';
import { StartEnrollment } from './crm/start-enrollment.js';

export interface RecordActionProps {
  session: Session;
  module: ModuleMeta;
  /** The record as the detail page shows it: references embedded with their label (`{id, name}`). */
  record: Rec;
  /** Reads the record again, after an action changed it on the server. */
  reload: () => void;
}

// A Map, not an object: a module may be named `constructor`.
const CONTRIBUTED = new Map<string, FunctionComponent<RecordActionProps>>([
  ['enrollment', EnrollmentActions],
  ['customer', StartEnrollment],
]);

/** The actions contributed for the record's module, or nothing. */
export function RecordActions(props: RecordActionProps) {
  const Actions = CONTRIBUTED.get(props.module.name);
  return Actions ? html`<${Actions} ...${props} />` : null;
}
