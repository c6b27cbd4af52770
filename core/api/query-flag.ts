/** A query flag such as `?dryRun=true`: present, and neither `false` nor `0`. */
export const isTrue = (v: string | undefined): boolean => v !== undefined && v !== 'false' && v !== '0';
