/* global window, document, getComputedStyle, NodeFilter, AdaptiveCards */
/**
 * The in-page half of test/helpers/card-render.ts, loaded into Chromium after Microsoft's
 * Adaptive Cards renderer (node_modules/adaptivecards/dist/adaptivecards.min.js). Plain browser
 * JavaScript (no bundler between it and the page): `dondocSetup(hostConfig)` once, then
 * `dondocRender(cardJson, width)` per card, which renders the card into #host and returns its
 * height and the layout problems found in the DOM:
 *
 * - overlap: two text boxes (the line boxes of text nodes, form controls, buttons) of different
 *   elements intersect by more than TOL px both ways (text printed over text);
 * - clipped: a text line box reaches beyond an ancestor that hides its overflow (a cut or
 *   ellipsised text, a button squeezed too narrow) or beyond the card's own box;
 * - overflow: a text line box leaves its column of a ColumnSet (or its cell of a Table row) and
 *   reaches into a neighbouring one, or within GAP px of it: printed over the next column ("30/11/2026 05:48"), or run
 *   together with it ("2.10Kiến nghị");
 * - broken-word: a word is split over two lines (not after a hyphen or dash): its box is narrower
 *   than the word, as a column 26 px wide prints "Hoạt" as "Ho/ạt";
 * - cramped: a text of three lines or more holds one word a line: a column too narrow for its
 *   words, even where each word still fits ("Hoạt / động / gần / nhất"); a long sentence wrapping
 *   in a normal box holds many words a line and is left alone;
 * - parse: the renderer's parser or validator reports an event for the card (Teams 1.5 target).
 */
(() => {
  /** Pixels two boxes may share (anti-aliasing, rounding of fractional layouts) before they count. */
  const TOL = 2;
  /** Less room than this between a text that left its column and the next column: they read as one. */
  const GAP = 4;
  let hostConfig;

  const short = (s) => {
    const t = s.replace(/\s+/g, ' ').trim();
    return t.length > 70 ? `${t.slice(0, 67)}…` : t;
  };

  /** The text an element shows (a text node's nearest element with some text), for messages. */
  const label = (el) => short(el.innerText || el.textContent || el.getAttribute('aria-label') || el.id || el.tagName.toLowerCase());

  const visible = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
    }
    return true;
  };

  /** What a box is, for messages: a button, a TextBlock, a column, or its tag and first class. */
  const describe = (e) => {
    if (e.closest('button')) return 'button';
    if (e.classList.contains('ac-textBlock')) return 'TextBlock';
    if (e.parentElement?.classList.contains('ac-columnSet')) return 'column';
    return `${e.tagName.toLowerCase()}${e.classList.length ? `.${e.classList[0]}` : ''}`;
  };

  const clips = (cs) => cs.overflowX !== 'visible' || cs.overflowY !== 'visible';

  window.dondocSetup = (hc) => {
    hostConfig = new AdaptiveCards.HostConfig(hc);
  };

  window.dondocRender = (json, width) => {
    const host = document.getElementById('host');
    host.replaceChildren();
    host.style.width = `${width}px`;

    const problems = [];
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = hostConfig;
    const ctx = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
    card.parse(json, ctx);
    const events = [];
    for (let i = 0; i < ctx.eventCount; i++) events.push(ctx.getEventAt(i));
    for (const e of card.validateProperties().validationEvents) events.push(e);
    for (const e of events) problems.push({ kind: 'parse', texts: [], detail: `${AdaptiveCards.ValidationEvent[e.event]}: ${e.message}` });

    const root = card.render();
    if (!root) {
      problems.push({ kind: 'parse', texts: [], detail: 'the renderer produced nothing' });
      return { height: 0, problems };
    }
    host.appendChild(root);
    const rootRect = root.getBoundingClientRect();

    // The boxes that show text: each line box of each visible text node, and each form control.
    /** @type {{el: Element, text: string, rects: DOMRect[], node?: Text}[]} */
    const owners = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.data.trim() || !n.parentElement || !visible(n.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5 && r.height > 0.5);
      if (rects.length) owners.push({ el: n.parentElement, node: n, text: short(n.data), rects });
    }
    for (const el of root.querySelectorAll('input, textarea, select')) {
      if (el.type === 'hidden' || !visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0.5 && r.height > 0.5) owners.push({ el, text: `[${el.type || el.tagName.toLowerCase()} ${el.getAttribute('aria-label') || el.id || ''}]`.replace(' ]', ']'), rects: [r] });
    }

    // What shows of each box: cut to every ancestor that hides its overflow (an ellipsised button
    // title does not overlap the next button: it is clipped, and reported as such below).
    const clipCache = new Map();
    const clipBox = (el) => {
      if (!el || el === host) return { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
      if (clipCache.has(el)) return clipCache.get(el);
      const up = clipBox(el.parentElement);
      let box = up;
      const cs = getComputedStyle(el);
      if (clips(cs)) {
        const b = el.getBoundingClientRect();
        const left = b.left + el.clientLeft;
        const top = b.top + el.clientTop;
        box = {
          left: cs.overflowX !== 'visible' ? Math.max(up.left, left) : up.left,
          right: cs.overflowX !== 'visible' ? Math.min(up.right, left + el.clientWidth) : up.right,
          top: cs.overflowY !== 'visible' ? Math.max(up.top, top) : up.top,
          bottom: cs.overflowY !== 'visible' ? Math.min(up.bottom, top + el.clientHeight) : up.bottom,
        };
      }
      clipCache.set(el, box);
      return box;
    };
    const shown = (o) =>
      o.rects
        .map((r) => {
          const c = clipBox(o.node ? o.el : o.el.parentElement);
          return { left: Math.max(r.left, c.left), right: Math.min(r.right, c.right), top: Math.max(r.top, c.top), bottom: Math.min(r.bottom, c.bottom) };
        })
        .filter((r) => r.right - r.left > 0.5 && r.bottom - r.top > 0.5);

    // overlap: a sweep over the shown boxes sorted by top.
    const boxes = owners.flatMap((o, i) => shown(o).map((r) => ({ i, r })));
    boxes.sort((a, b) => a.r.top - b.r.top);
    const pairs = new Set();
    for (let a = 0; a < boxes.length; a++) {
      const A = boxes[a];
      for (let b = a + 1; b < boxes.length && boxes[b].r.top < A.r.bottom - TOL; b++) {
        const B = boxes[b];
        if (A.i === B.i) continue;
        const w = Math.min(A.r.right, B.r.right) - Math.max(A.r.left, B.r.left);
        const h = Math.min(A.r.bottom, B.r.bottom) - Math.max(A.r.top, B.r.top);
        if (w <= TOL || h <= TOL) continue;
        const oa = owners[A.i];
        const ob = owners[B.i];
        // A control and the label inside it (a radio's title) are one thing.
        if (oa.el.contains(ob.el) || ob.el.contains(oa.el)) continue;
        const key = A.i < B.i ? `${A.i}|${B.i}` : `${B.i}|${A.i}`;
        if (pairs.has(key)) continue;
        pairs.add(key);
        problems.push({ kind: 'overlap', texts: [oa.text, ob.text], detail: `"${oa.text}" and "${ob.text}" overlap (${Math.round(w)}×${Math.round(h)} px)` });
      }
    }

    // clipped: a box beyond an ancestor that hides overflow, or beyond the card.
    const clipped = new Set();
    for (const o of owners) {
      if (clipped.has(o)) continue;
      let by;
      for (const r of o.rects) {
        for (let e = o.node ? o.el : o.el.parentElement; e && e !== host; e = e.parentElement) {
          const cs = getComputedStyle(e);
          if (!clips(cs)) continue;
          const b = e.getBoundingClientRect();
          // The padding box (clientLeft/Top: the borders).
          const left = b.left + e.clientLeft;
          const top = b.top + e.clientTop;
          const out =
            (cs.overflowX !== 'visible' && (r.right > left + e.clientWidth + TOL || r.left < left - TOL)) ||
            (cs.overflowY !== 'visible' && (r.bottom > top + e.clientHeight + TOL || r.top < top - TOL));
          if (out) {
            by = e === root ? 'the card' : `its ${describe(e)} (${Math.round(b.width)} px wide)`;
            break;
          }
        }
        if (!by && (r.right > rootRect.right + TOL || r.left < rootRect.left - TOL)) by = 'the card';
        if (by) break;
      }
      if (by) {
        clipped.add(o);
        problems.push({ kind: 'clipped', texts: [o.text], detail: `"${o.text}" is cut off by ${by}` });
      }
    }

    // overflow: a text wider than its column of a ColumnSet or cell of a Table row (which does not
    // clip it) reaching into a neighbouring one: printed over the next column, whether or not that
    // column has text on the same line (when it has, that is an overlap too). Most of the gutter
    // between them is allowed.
    // A row of boxes side by side: a ColumnSet's columns, a Table row's cells.
    const isRow = (e) => {
      const cs = getComputedStyle(e);
      return (cs.display === 'flex' || cs.display === 'inline-flex') && cs.flexDirection.startsWith('row');
    };
    for (const o of owners) {
      if (!o.node || clipped.has(o)) continue;
      for (let col = o.el; col && col !== root; col = col.parentElement) {
        const set = col.parentElement;
        if (!set || !isRow(set)) continue;
        const own = col.getBoundingClientRect();
        const out = o.rects.filter((r) => r.right > own.right + TOL || r.left < own.left - TOL);
        const into = Array.from(set.children).find((sib) => {
          if (sib === col || sib.classList.contains('ac-vertical-separator')) return false;
          const b = sib.getBoundingClientRect();
          // Within GAP of the next column reads as one word with it ("2.10Kiến nghị").
          return out.some((r) => Math.min(r.right, b.right + GAP) - Math.max(r.left, b.left - GAP) > 0 && Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top) > TOL);
        });
        if (into) {
          problems.push({ kind: 'overflow', texts: [o.text], detail: `"${o.text}" runs out of its column (${Math.round(own.width)} px wide) into the next one` });
          break;
        }
      }
    }

    // broken-word and cramped, per text node (the box: the text's block, e.g. its column).
    const blockOf = (el) => {
      let e = el;
      while (e && e !== root && getComputedStyle(e).display.startsWith('inline')) e = e.parentElement;
      return e ?? root;
    };
    const lineTops = (rects) => {
      const tops = [];
      for (const r of rects) if (!tops.some((t) => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
      return tops;
    };
    for (const o of owners) {
      if (!o.node || o.rects.length < 2) continue;
      const lines = lineTops(o.rects).length;
      if (lines < 2) continue;
      const data = o.node.data;
      const words = [];
      for (const m of data.matchAll(/\S+/g)) words.push(m);
      for (const m of words) {
        const range = document.createRange();
        range.setStart(o.node, m.index);
        range.setEnd(o.node, m.index + m[0].length);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5);
        if (lineTops(rects).length < 2) continue;
        // Where the word breaks: the first character on another line than the first one.
        const first = rects[0].top;
        let at = -1;
        for (let k = 1; k < m[0].length && at < 0; k++) {
          const c = document.createRange();
          c.setStart(o.node, m.index + k);
          c.setEnd(o.node, m.index + k + 1);
          const cr = c.getClientRects()[0];
          if (cr && Math.abs(cr.top - first) >= cr.height / 2) at = k;
        }
        if (at > 0 && /[-‐–—/]/.test(m[0][at - 1])) continue;
        problems.push({
          kind: 'broken-word',
          texts: [o.text],
          detail: `"${m[0]}" is broken across lines${at > 0 ? ` ("${m[0].slice(0, at)}|${m[0].slice(at)}")` : ''} in "${o.text}", a box ${Math.round(blockOf(o.el).getBoundingClientRect().width)} px wide`,
        });
        break;
      }
      if (lines >= 3 && words.length <= lines * 1.5)
        problems.push({
          kind: 'cramped',
          texts: [o.text],
          detail: `"${o.text}" takes ${lines} lines for ${words.length} words, a box ${Math.round(blockOf(o.el).getBoundingClientRect().width)} px wide`,
        });
    }

    // Elements (not only text) beyond the card: a button row wider than the card.
    for (const el of root.querySelectorAll('button, .ac-pushButton')) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0.5 && (r.right > rootRect.right + TOL || r.left < rootRect.left - TOL))
        problems.push({ kind: 'clipped', texts: [label(el)], detail: `the button "${label(el)}" reaches beyond the card` });
    }

    return { height: rootRect.height, problems };
  };
})();
