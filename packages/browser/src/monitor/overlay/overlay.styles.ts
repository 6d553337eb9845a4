// The debug overlay's stylesheet, scoped by its shadow root: page rules cannot reach these elements
// and these rules cannot reach the page. One dark theme; system monospace, no web fonts to fetch.
export const OVERLAY_CSS = `
.root{position:fixed;z-index:2147483647;display:flex;flex-direction:column;align-items:flex-end;gap:8px;
  font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#e6e8eb}
.root[data-v=bottom]{flex-direction:column-reverse}
.root[data-h=left]{align-items:flex-start}
[hidden]{display:none!important}
button{font:inherit;color:inherit;cursor:pointer}
.toggle{width:36px;height:36px;border-radius:50%;border:1px solid #3a4150;background:#161a22;font-size:18px;
  box-shadow:0 2px 8px #0006}
.toggle[aria-expanded=true]{border-color:#7aa2f7}
.panel{width:360px;max-width:calc(100vw - 32px);background:#161a22;border:1px solid #3a4150;
  border-radius:8px;box-shadow:0 6px 24px #0008;overflow:hidden}
header{display:flex;justify-content:space-between;align-items:center;padding:6px 10px;background:#1f2430}
header button{border:0;background:none;font-size:16px;line-height:1}
.field{display:grid;grid-template-columns:72px 1fr;align-items:center;gap:8px;padding:4px 10px}
.field span{color:#8b93a3}
input{font:inherit;color:inherit;background:#0f1218;border:1px solid #3a4150;border-radius:4px;padding:3px 6px;
  min-width:0}
input:focus{outline:none;border-color:#7aa2f7}
code{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.dashboard{display:block;padding:4px 10px;color:#7aa2f7}
ol{list-style:none;margin:6px 0 0;padding:0;max-height:240px;overflow-y:auto;border-top:1px solid #2a303c}
li{display:grid;grid-template-columns:auto auto auto 1fr;gap:6px;padding:2px 10px;white-space:nowrap}
li:nth-child(odd){background:#1a1e27}
.time{color:#8b93a3}
.type{color:#bb9af7}
.level{color:#9ece6a}
.warn .level{color:#e0af68}
.error .level{color:#f7768e}
.debug .level{color:#8b93a3}
.summary{overflow:hidden;text-overflow:ellipsis}
`;
