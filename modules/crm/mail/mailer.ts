/**
 * The CRM's mail, through nodemailer. With `SMTP_URL` (e.g. smtp://user:pass@mail.example.com:587)
 * a message goes to that server; without it, it is kept in the `outbox` module, where admins read
 * it, so that the demo needs no mail server. A message the server refuses is kept there too, with
 * the error: mail is never lost silently.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Modules } from '../../../core/generated/modules.js';
import type { PluginScope } from '../../../core/plugins/define-plugin.js';

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** sent: the SMTP server took it; kept: in the outbox, no server configured; failed: in the outbox, the server refused it. */
export type Delivery = 'sent' | 'kept' | 'failed';

const transports = new Map<string, Transporter>();

function transport(url: string): Transporter {
  let t = transports.get(url);
  if (!t) transports.set(url, (t = nodemailer.createTransport(url)));
  return t;
}

/** `MAIL_FROM`, or the CRM's own address on this host. */
export function sender(): string {
  return process.env.MAIL_FROM ?? 'Stratum CRM <crm@localhost>';
}

/** Sends `mail`, or keeps it in the outbox as `scope` (an account that may create outbox records). */
export async function deliver(mail: Mail, scope: PluginScope<Modules>): Promise<Delivery> {
  const url = process.env.SMTP_URL;
  if (!url) {
    await scope.records('outbox').create({ recipient: mail.to, subject: mail.subject, text: mail.text, status: 'kept' });
    return 'kept';
  }
  try {
    await transport(url).sendMail({ from: sender(), to: mail.to, subject: mail.subject, text: mail.text });
    return 'sent';
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    scope.log(`mail to ${mail.to} was refused by the SMTP server, kept in the outbox: ${error}`);
    await scope.records('outbox').create({ recipient: mail.to, subject: mail.subject, text: mail.text, status: 'failed', error: error.slice(0, 1000) });
    return 'failed';
  }
}
