// The coverage as one self-contained HTML page: inline CSS, no script, no font or image to fetch,
// everything visible without a click, so it opens from a CI artifact as it is.
import { localId } from "./items.js";
import type { ContractCoverage } from "./model.js";
import { formatOutside, formatPercent, itemsByKind, KIND_TITLES } from "./report.js";

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin-bottom: .2rem; }
.sub { color: #59636e; margin-top: 0; }
.total { display: flex; align-items: center; gap: 1rem; margin: 1.2rem 0 1.6rem; }
.total strong { font-size: 2rem; }
.bar { flex: 1; height: .8rem; background: #ffebe9; border-radius: .4rem; overflow: hidden; }
.bar span { display: block; height: 100%; background: #1a7f37; }
section.operation { margin-bottom: 2rem; border-top: 1px solid #d1d9e0; padding-top: .8rem; }
section.kind { margin-bottom: 1.1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .7rem; display: flex; align-items: baseline; gap: .8rem; flex-wrap: wrap; }
h2 code { font-size: .9rem; color: #59636e; font-weight: normal; }
h2 .pct { margin-left: auto; }
h3 { font-size: 1rem; margin: 0 0 .45rem; }
h3 small, h2 small { color: #59636e; font-weight: normal; }
.operation > .bar { margin-bottom: .9rem; }
.outside { background: #fff8c5; border: 1px solid #d4a72c; border-radius: .3rem; padding: .5rem .7rem; }
ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .35rem; }
li { font: 13px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; padding: .25rem .5rem; border-radius: .3rem; border: 1px solid; }
li.covered { background: #dafbe1; border-color: #8ddb9f; color: #0f5323; }
li.uncovered { background: #ffebe9; border-color: #ff8182; color: #82071e; font-weight: 600; }
li b { font-weight: normal; opacity: .75; margin-left: .15rem; }
.legend { color: #59636e; font-size: 13px; }
`;

export interface CoverageHtmlOptions {
  /** Shown under the title: where the coverage came from (the merged files). */
  sources?: readonly string[];
}

const bar = (percent: number, label: string) =>
  `<div class="bar" role="img" aria-label="${label}"><span style="width:${Math.min(100, Math.max(0, percent)).toFixed(2)}%"></span></div>`;

/**
 * The page: the total percent first, then per operation (istanbul's files) a line with its
 * percent, then each kind's items, covered ones green (✓), uncovered red (✗).
 */
export function coverageHtml(c: ContractCoverage, options: CoverageHtmlOptions = {}): string {
  const title = "Contract coverage";
  const sections = c.operations
    .map((operation) => {
      const kinds = itemsByKind(c, operation.operation)
        .map(({ kind, items }) => {
          const covered = items.filter((i) => i.covered).length;
          const chips = items
            .map(
              (item) =>
                `<li class="${item.covered ? "covered" : "uncovered"}" data-id="${escapeHtml(item.id)}" title="${escapeHtml(item.id)}">${item.covered ? "✓" : "✗"} ${escapeHtml(localId(item.id))} <b>${item.count}×</b></li>`,
            )
            .join("\n");
          return `<section class="kind" data-kind="${kind}">\n<h3>${KIND_TITLES[kind]} <small>${covered} of ${items.length}</small></h3>\n<ul>\n${chips}\n</ul>\n</section>`;
        })
        .join("\n");
      const percent = formatPercent(operation.percent);
      return (
        `<section class="operation" data-operation="${escapeHtml(operation.operation)}">\n` +
        `<h2>${escapeHtml(operation.operation)} <code>${escapeHtml(operation.method)} ${escapeHtml(operation.path)}</code> <span class="pct">${percent}</span> <small>${operation.covered} of ${operation.total}</small></h2>\n` +
        `${bar(operation.percent, `${escapeHtml(operation.operation)}: ${percent} covered`)}\n${kinds}\n</section>`
      );
    })
    .join("\n");
  const outside = formatOutside(c);
  const from = options.sources?.length ? `<p class="sub">Merged from ${options.sources.map(escapeHtml).join(", ")}</p>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}: ${formatPercent(c.percent)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${from}
<div class="total"><strong id="percent">${formatPercent(c.percent)}</strong><span>${c.covered} of ${c.total} items covered, in ${c.operations.length} operation${c.operations.length === 1 ? "" : "s"}</span>${bar(c.percent, `${formatPercent(c.percent)} covered`)}</div>
<p class="legend">✓ covered (with how many requests or responses), ✗ never exercised.</p>
${outside ? `<p class="outside" id="outside">${escapeHtml(outside)}</p>\n` : ""}${sections}
</body>
</html>
`;
}
