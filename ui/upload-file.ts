/** `POST /api/files`: one file as multipart, its handle back; a refusal as the API's StratumError. */
import { StratumError } from './api.js';

export interface UploadedFile {
  id: string;
  name: string;
  type: string;
  size: number;
}

export async function uploadFile(file: File): Promise<UploadedFile> {
  const body = new FormData();
  body.append('file', file, file.name);
  const res = await fetch('/api/files', { method: 'POST', body, credentials: 'same-origin' });
  const reply = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) throw StratumError.fromReply(res.status, res.statusText, reply);
  return reply as UploadedFile;
}
