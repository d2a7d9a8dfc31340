/** The report page's inline style sheet (allowed by the page's CSP as an inline style). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#fff; --soft:#f6f8fa;
  --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --info:#0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1360px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.verdict { border-radius: 8px; padding: 14px 18px; margin: 12px 0 8px; border: 2px solid; }
.verdict h2 { border: 0; margin: 0 0 6px; padding: 0; font-size: 22px; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; }
.verdict-pass { border-color: var(--pass); background: #dafbe1; }
.verdict-fail { border-color: var(--fail); background: #ffebe9; }
.verdict-inconclusive { border-color: var(--warn); background: #fff8c5; }
.verdict-ungated { border-color: var(--info); background: #ddf4ff; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.card b { display: block; font-size: 18px; }
.card span { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: right; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.t, th.t { text-align: left; }
.scroll { overflow-x: auto; }
.status-pass { color: var(--pass); font-weight: 600; }
.status-fail { color: var(--fail); font-weight: 600; }
.status-inconclusive { color: var(--warn); font-weight: 600; }
.hurt { color: var(--fail); font-weight: 600; } .spared { color: var(--info); }
.note { color: var(--muted); }
.skip { color: var(--warn); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; align-items: start; }
figure.chart-box { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
svg.chart { max-width: 100%; height: auto; display: block; }
.gallery { display: flex; flex-wrap: wrap; gap: 10px; }
figure.pie { margin: 0; width: 148px; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: var(--soft); text-align: center; font-size: 12px; }
figure.pie img { width: 84px; height: 84px; image-rendering: pixelated; object-fit: contain; background: #000; display: block; margin: 0 auto 4px; }
figure.pie.kind-forgotten { border-color: var(--fail); }
figure.pie figcaption { line-height: 1.35; }
.labels b { font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: var(--info); margin: 4px 0; }
pre { background: var(--soft); padding: 8px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
.findings { border: 2px solid var(--line); border-radius: 8px; padding: 12px 18px; margin: 12px 0; background: var(--soft); }
.findings h2 { border: 0; margin: 0 0 6px; padding: 0; }
.findings ul { margin: 0; padding-left: 20px; } .findings li { margin: 4px 0; }
.findings li.hurt { font-weight: 400; color: var(--fg); } .findings li.hurt::marker { color: var(--fail); }
.findings li .hurt { color: var(--fail); font-weight: 400; } .findings li .skip { color: var(--warn); }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin: 8px 0; }
th[aria-sort] { cursor: pointer; } th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
tr.kind-forgotten td:nth-child(6) { color: var(--fail); font-weight: 600; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
`;
