/** Asks the app to re-read `/api/meta/modules`, so that the menu shows a module just applied, renamed, deleted or restored. */
export const META_CHANGED = 'stratum:meta-changed';
