/**
 * Each hop's validity on one time axis (an SVG), with the check time marked: a glance shows which
 * hop expires first and whether the check time falls inside every window.
 */
import type { HopView } from './hop-view.js';
import { isoTime } from './time-text.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const ROW = 26;
const LEFT = 70;

const iso = (unix: bigint): string => isoTime(unix).replace('T', ' ');

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function timeline(hops: readonly HopView[], checkAt: bigint): SVGElement {
  const height = hops.length * ROW + 44;
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'timeline', role: 'img', 'aria-label': 'validity of each hop' });
  if (hops.length === 0) return svg;
  const start = hops.reduce((m, h) => (h.issuedAt < m ? h.issuedAt : m), hops[0]!.issuedAt);
  const end = hops.reduce((m, h) => (h.expiration > m ? h.expiration : m), hops[0]!.expiration);
  const span = Number(end - start) || 1;
  const x = (t: bigint): number => LEFT + (Math.min(Math.max(Number(t - start), 0), span) / span) * (WIDTH - LEFT - 10);
  hops.forEach((h, i) => {
    const y = 10 + i * ROW;
    svg.append(el('text', { x: 4, y: y + 13, class: 'tl-label' }, `hop ${h.index}`));
    const expired = h.expiration < checkAt;
    const bar = el('rect', { x: x(h.issuedAt), y, width: Math.max(x(h.expiration) - x(h.issuedAt), 2), height: 16, rx: 3, class: expired ? 'tl-bar tl-expired' : 'tl-bar' });
    bar.append(el('title', {}, `${iso(h.issuedAt)} → ${iso(h.expiration)}`));
    svg.append(bar);
  });
  const axisY = 14 + hops.length * ROW;
  svg.append(el('text', { x: LEFT, y: axisY + 12, class: 'tl-axis' }, iso(start)));
  svg.append(el('text', { x: WIDTH - 10, y: axisY + 12, class: 'tl-axis', 'text-anchor': 'end' }, iso(end)));
  // The check time, pinned to the edge (with an arrow) when it lies outside every window.
  const outside = checkAt < start ? '← ' : checkAt > end ? ' →' : '';
  const cx = x(checkAt);
  svg.append(el('line', { x1: cx, x2: cx, y1: 4, y2: axisY, class: 'tl-now' }));
  svg.append(el('text', { x: cx, y: axisY + 28, class: 'tl-now-label', 'text-anchor': cx > WIDTH / 2 ? 'end' : 'start' }, `${checkAt < start ? outside : ''}check time ${iso(checkAt)}${checkAt > end ? outside : ''}`));
  return svg;
}
