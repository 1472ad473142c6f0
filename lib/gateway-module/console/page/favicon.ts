/** `favicon.svg`: a plug, so the browser's request for an icon finds one (no 404 on every visit). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#1d2330"/>
<path d="M11 6v7M21 6v7M8 13h16v4a8 8 0 0 1-16 0zM16 25v3" stroke="#d1fadf" stroke-width="3" stroke-linecap="round" fill="none"/>
</svg>
`;
