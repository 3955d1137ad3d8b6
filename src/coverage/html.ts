// The coverage as one self-contained HTML page: inline CSS, no script, no font or image to fetch,
// everything visible without a click, so it opens from a CI artifact as it is.
import { COVERAGE_KINDS } from "./items.js";
import type { ContractCoverage } from "./model.js";
import { formatPercent, KIND_TITLES } from "./report.js";

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
section { margin-bottom: 1.4rem; }
h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
h2 small { color: #59636e; font-weight: normal; }
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
  /** The operation, shown in the title. */
  operation?: string;
}

/** The page: the percent first, then each kind's items, covered ones green (✓), uncovered red (✗). */
export function coverageHtml(c: ContractCoverage, options: CoverageHtmlOptions = {}): string {
  const title = `Contract coverage${options.operation ? ` of ${options.operation}` : ""}`;
  const sections = COVERAGE_KINDS.map((kind) => {
    const items = c.items.filter((item) => item.kind === kind);
    if (items.length === 0) return "";
    const covered = items.filter((i) => i.covered).length;
    const chips = items
      .map(
        (item) =>
          `<li class="${item.covered ? "covered" : "uncovered"}" data-id="${escapeHtml(item.id)}">${item.covered ? "✓" : "✗"} ${escapeHtml(item.id)} <b>${item.count}×</b></li>`,
      )
      .join("\n");
    return `<section data-kind="${kind}">\n<h2>${KIND_TITLES[kind]} <small>${covered} of ${items.length}</small></h2>\n<ul>\n${chips}\n</ul>\n</section>`;
  }).join("\n");
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
<div class="total"><strong id="percent">${formatPercent(c.percent)}</strong><span>${c.covered} of ${c.total} items covered</span><div class="bar" role="img" aria-label="${formatPercent(c.percent)} covered"><span style="width:${Math.min(100, Math.max(0, c.percent)).toFixed(2)}%"></span></div></div>
<p class="legend">✓ covered (with how many requests or responses), ✗ never exercised.</p>
${sections}
</body>
</html>
`;
}
