/**
 * Text made safe to put inside HTML elements and quoted attributes. Templates escape by themselves
 * (Nunjucks autoescape); this is for the few places that build markup outside a template.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
