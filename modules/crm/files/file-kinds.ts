/**
 * The kinds of file the CRM accepts, told by their first bytes ("magic numbers"), never by the
 * name or the Content-Type the browser sends: a script renamed to photo.jpg is still refused.
 */
export interface FileKind {
  readonly mime: string;
  readonly ext: string;
  readonly magic: readonly number[];
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export const JPEG: FileKind = { mime: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] };
export const PNG: FileKind = { mime: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] };
export const PDF: FileKind = { mime: 'application/pdf', ext: 'pdf', magic: ascii('%PDF-') };
export const ZIP: FileKind = { mime: 'application/zip', ext: 'zip', magic: [0x50, 0x4b, 0x03, 0x04] };

/** An ID document: a photo or a scan. */
export const ID_DOCUMENT_KINDS = [JPEG, PNG, PDF] as const;
/** Homework: the same, or a zip of code. */
export const HOMEWORK_KINDS = [JPEG, PNG, PDF, ZIP] as const;

/** The kind among `allowed` whose magic number `bytes` start with. */
export function sniff(bytes: Uint8Array, allowed: readonly FileKind[]): FileKind | undefined {
  return allowed.find((k) => k.magic.length <= bytes.length && k.magic.every((b, i) => bytes[i] === b));
}

export function kindByExt(ext: string): FileKind | undefined {
  return [JPEG, PNG, PDF, ZIP].find((k) => k.ext === ext);
}
