// The page talks to the same REST API scripts use. Network failures and 5xx answers are retryable;
// 4xx answers are the server refusing the change (412: someone else changed it first).

export class ApiError extends Error {
  constructor(status, data) {
    super(ApiError.describe(status, data));
    this.status = status;
    this.data = data;
  }
  get retryable() { return this.status === 0 || this.status >= 500 || this.status === 429; }
  static describe(status, data) {
    if (status === 0) return "The server cannot be reached.";
    if (data && typeof data === "object") {
      if (data.detail) return String(data.detail);
      const [field, messages] = Object.entries(data)[0] || [];
      if (field === "non_field_errors") return [].concat(messages).join(" ");
      if (field) return `${field}: ${[].concat(messages).join(" ")}`;
    }
    return `The server answered ${status}.`;
  }
}

export function makeApi(csrfToken) {
  return async function api(method, url, { body, ifMatch } = {}) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken;
    if (ifMatch !== undefined) headers["If-Match"] = ifMatch === "*" ? "*" : `"${ifMatch}"`; // *: whatever is stored
    let response;
    try {
      response = await fetch(url, {
        method, headers, credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, null);
    }
    let data = null;
    const text = await response.text().catch(() => "");
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!response.ok) throw new ApiError(response.status, data);
    const etag = response.headers.get("ETag");
    return { status: response.status, data, version: etag ? Number(etag.replaceAll('"', "")) : null };
  };
}
