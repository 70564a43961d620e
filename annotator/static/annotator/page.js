// What every page script starts from: the server-rendered shell's <main>, the data the server put in the
// page as JSON (#page-data, never inline script: the CSP allows none), and an API client that sends the
// CSRF token the server put on <main> (the cookie is HttpOnly, so the page is the only place to read it).

import { makeApi } from "./api.js";

export const $ = (selector) => document.querySelector(selector);

/** The page's <main> (found by `mainSelector`), its JSON data, and an API client with its CSRF token. */
export function openPage(mainSelector) {
  const main = $(mainSelector);
  return { main, data: JSON.parse($("#page-data").textContent), api: makeApi(main.dataset.csrf) };
}

/** A new element: el("td", { text, className, attrs }, ...children). Text is always set as text. */
export function el(tag, { text, className, attrs } = {}, ...children) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
