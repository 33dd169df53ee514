import MarkdownIt from 'markdown-it';

/**
 * Renders markdown as GitHub would (CommonMark + GFM tables, strikethrough and autolinks, via markdown-it) and lists
 * everything in it that can act on a reader: links, images, HTML, and what GitHub itself turns into links after
 * rendering (mentions, issue references, bare URLs), which markdown-it does not do, so they are looked for in each
 * text node: GitHub, like this check, never joins text across an HTML comment.
 */
export interface Active {
  links: string[];
  images: string[];
  html: string[];
  /** Mentions, issue references and bare URLs in text nodes. */
  references: string[];
  /** Emphasis, strikethrough and code spans. */
  styles: string[];
  /** Text of every text and code node, in order (what a reader sees). */
  text: string;
  /** Cells per table row. */
  rows: number[];
}

const md = new MarkdownIt({ html: true, linkify: true });
// GFM links bare URLs that have a scheme or `www.`; markdown-it's fuzzy mode would also link `evil.com`, which GitHub does not.
md.linkify.set({ fuzzyLink: false });

const REFERENCES = [
  /(^|[^A-Za-z0-9_])@[A-Za-z0-9]/, // @user, @org/team, user@host
  /#\d/, // #1, owner/repo#1
  /\bGH-\d/i,
  /www\./i,
  /[a-z][a-z0-9+.-]*:\/\//i,
];

export function active(markdown: string): Active {
  const found: Active = { links: [], images: [], html: [], references: [], styles: [], text: '', rows: [] };
  let cells = 0;
  for (const t of md.parse(markdown, {})) {
    if (t.type === 'html_block') found.html.push(t.content.trim());
    if (t.type === 'tr_open') cells = 0;
    if (t.type === 'td_open' || t.type === 'th_open') cells++;
    if (t.type === 'tr_close') found.rows.push(cells);
    for (const c of t.children ?? []) {
      if (c.type === 'link_open') found.links.push(c.attrGet('href') ?? '');
      else if (c.type === 'image') found.images.push(c.attrGet('src') ?? '');
      else if (c.type === 'html_inline') found.html.push(c.content);
      else if (/^(em|strong|s)_open$/.test(c.type)) found.styles.push(c.type);
      else if (c.type === 'code_inline') {
        found.styles.push('code');
        found.text += c.content;
      } else if (c.type === 'text') {
        found.text += c.content;
        for (const re of REFERENCES) if (re.test(c.content)) found.references.push(c.content);
      } else if (c.type === 'softbreak' || c.type === 'hardbreak') found.text += '\n';
    }
  }
  return found;
}
