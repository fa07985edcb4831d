// Small behaviours shared by every page. Kept in a file, never inline, so a strict
// Content-Security-Policy can forbid inline scripts.
