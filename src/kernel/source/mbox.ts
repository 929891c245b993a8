/**
 * Mail around a patch: an mbox of several messages, one `git format-patch`
 * message, or no mail at all. Each message's body is returned as lines that
 * remember where they start in the input, so that a hunk found in a decoded
 * body can still be located in the file the user gave.
 */

export interface Line {
  readonly text: string;
  /** Offset in the input of the line's first character (for decoded lines: of the raw line it came from). */
  readonly offset: number;
}

export interface Mail {
  readonly subject: string | null;
  readonly lines: readonly Line[];
}

function splitLines(text: string, from = 0, to = text.length): Line[] {
  const lines: Line[] = [];
  let start = from;
  while (start < to) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 || nl >= to ? to : nl;
    lines.push({ text: text.slice(start, end).replace(/\r$/, ''), offset: start });
    start = end + 1;
  }
  return lines;
}

const MBOX_FROM = /^From \S+/;
const HEADER = /^[A-Za-z0-9-]+:/;

/** True when the text opens with mail headers (an mbox `From ` line or an RFC 822 header block). */
function isMail(lines: readonly Line[]): boolean {
  const first = lines[0]?.text ?? '';
  if (MBOX_FROM.test(first)) return true;
  return HEADER.test(first) && lines.slice(0, 40).some((l) => /^(Subject|From|Date):/i.test(l.text));
}

export function splitMails(text: string): Mail[] {
  const all = splitLines(text);
  if (!isMail(all)) return [{ subject: null, lines: all }];
  const starts: number[] = [];
  all.forEach((l, i) => {
    if (MBOX_FROM.test(l.text) && (i === 0 || all[i - 1]!.text === '')) starts.push(i);
  });
  if (starts.length === 0) starts.push(0);
  return starts.map((s, k) => readMail(all.slice(s, starts[k + 1] ?? all.length)));
}

function readMail(lines: readonly Line[]): Mail {
  let i = MBOX_FROM.test(lines[0]?.text ?? '') ? 1 : 0;
  const headers = new Map<string, string>();
  let last = '';
  for (; i < lines.length && lines[i]!.text !== ''; i++) {
    const t = lines[i]!.text;
    if (/^[ \t]/.test(t) && last) headers.set(last, `${headers.get(last)!} ${t.trim()}`);
    else {
      const colon = t.indexOf(':');
      if (colon < 0) continue;
      last = t.slice(0, colon).toLowerCase();
      headers.set(last, t.slice(colon + 1).trim());
    }
  }
  const body = lines.slice(i + 1).map((l) => ({ text: l.text.replace(/^>(>*From )/, '$1'), offset: l.offset }));
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  const decoded = encoding === 'quoted-printable' ? quotedPrintable(body) : encoding === 'base64' ? base64(body) : body;
  return { subject: headers.get('subject') ?? null, lines: decoded };
}

/** Soft line breaks join raw lines; each decoded line keeps the offset of its first raw line. */
function quotedPrintable(lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  let pending: { text: string; offset: number } | null = null;
  for (const l of lines) {
    const soft = l.text.endsWith('=');
    const raw = soft ? l.text.slice(0, -1) : l.text;
    const text = Buffer.from(raw.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    pending = pending ? { text: pending.text + text, offset: pending.offset } : { text, offset: l.offset };
    if (!soft) {
      out.push(pending);
      pending = null;
    }
  }
  if (pending) out.push(pending);
  return out;
}

/** Base64 bodies lose their positions: every line points at the body's start. */
function base64(lines: readonly Line[]): Line[] {
  const at = lines[0]?.offset ?? 0;
  const text = Buffer.from(lines.map((l) => l.text).join(''), 'base64').toString('utf8');
  return splitLines(text).map((l) => ({ text: l.text, offset: at }));
}
