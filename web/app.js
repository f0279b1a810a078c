// The Audotics web app: plain JavaScript against the gateway's JSON API (same origin, so no CORS).
// Tokens live in sessionStorage; an expired access token is refreshed once with the refresh token.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { tokens: JSON.parse(sessionStorage.getItem("tokens") || "null"), query: "", pageToken: "", playlist: null, refreshing: null };

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

function saveTokens(tokens) {
  state.tokens = tokens;
  if (tokens) sessionStorage.setItem("tokens", JSON.stringify(tokens));
  else sessionStorage.removeItem("tokens");
}

// Calls the API; errors arrive as google.rpc.Status JSON ({code, message, details}).
async function api(method, path, body, retried = false) {
  const headers = { "accept": "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const used = state.tokens && state.tokens.accessToken;
  if (used) headers["authorization"] = "Bearer " + used;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const payload = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (response.status === 401 && state.tokens && !retried) {
    // Another call may have refreshed already; otherwise refresh (once for all of them).
    if (state.tokens.accessToken !== used || await refreshTokens()) return api(method, path, body, true);
    signOut();
  }
  if (!response.ok) {
    const wait = response.headers.get("retry-after");
    throw new Error((payload.message || response.statusText) + (wait ? ` (retry in ${wait} s)` : ""));
  }
  return payload;
}

// One refresh at a time: refresh tokens are single use, so concurrent 401s share the same refresh.
function refreshTokens() {
  if (!state.refreshing) {
    const refreshToken = state.tokens.refreshToken;
    state.refreshing = fetch("/v1/auth:refresh", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refreshToken }),
    })
      .then(async (refreshed) => {
        if (!refreshed.ok) return false;
        saveTokens((await refreshed.json()).tokens);
        return true;
      })
      .catch(() => false)
      .finally(() => { state.refreshing = null; });
  }
  return state.refreshing;
}

function run(task) {
  return (event) => {
    if (event) event.preventDefault();
    showError("");
    task(event).catch((error) => showError(error.message));
  };
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function duration(ms) {
  const seconds = Math.round(Number(ms) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

async function showSignedIn() {
  const signedIn = Boolean(state.tokens);
  $("account").hidden = signedIn;
  $("app").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
  $("who").textContent = "";
  if (!signedIn) return;
  const me = await api("GET", "/v1/me");
  $("who").textContent = me.displayName || me.email;
  await loadPlaylists();
}

function signOut() {
  const refreshToken = state.tokens && state.tokens.refreshToken;
  saveTokens(null);
  if (refreshToken) api("POST", "/v1/auth:logout", { refreshToken }).catch(() => {});
  showSignedIn();
}

async function authenticate(event) {
  const form = new FormData(event.target);
  const action = event.submitter ? event.submitter.value : "login";
  const path = action === "register" ? "/v1/users:register" : "/v1/auth:login";
  const result = await api("POST", path, { email: form.get("email"), password: form.get("password") });
  saveTokens(result.tokens);
  await showSignedIn();
}

async function search(more) {
  const params = new URLSearchParams({ query: state.query, pageSize: "20" });
  if (more && state.pageToken) params.set("pageToken", state.pageToken);
  const result = await api("GET", "/v1/tracks:search?" + params);
  if (!more) $("results").replaceChildren();
  for (const track of result.tracks || []) {
    const item = element("li");
    item.append(element("strong", track.title), " ", element("span", `${track.artistName} · ${track.albumTitle} · ${duration(track.durationMs)}`, "meta"));
    const add = element("button", "Add to playlist");
    add.disabled = !state.playlist;
    add.title = state.playlist ? `Add to ${state.playlist.name}` : "Open a playlist first";
    add.addEventListener("click", run(() => addTrack(track.id)));
    item.append(add);
    $("results").append(item);
  }
  state.pageToken = result.nextPageToken || "";
  $("more").hidden = !state.pageToken;
}

async function loadPlaylists() {
  const result = await api("GET", "/v1/playlists?pageSize=50");
  $("playlists").replaceChildren(...(result.playlists || []).map((playlist) => {
    const item = element("li", `${playlist.name} (${playlist.itemCount})`);
    item.addEventListener("click", run(() => openPlaylist(playlist.id)));
    return item;
  }));
}

async function openPlaylist(id) {
  const result = await api("GET", `/v1/playlists/${encodeURIComponent(id)}?itemsPageSize=100`);
  state.playlist = result.playlist;
  $("playlist").hidden = false;
  $("playlist-name").textContent = `${result.playlist.name} · ${result.playlist.visibility === "PLAYLIST_VISIBILITY_PUBLIC" ? "public" : "private"}`;
  $("items").replaceChildren(...(result.items || []).map((item, position) => {
    const row = element("li");
    row.append(element("span", item.track ? `${item.track.title} — ${item.track.artistName}` : item.trackId));
    const remove = element("button", "Remove");
    remove.addEventListener("click", run(() => removeTrack(position, item.trackId)));
    row.append(remove);
    return row;
  }));
  for (const button of $("results").querySelectorAll("button")) button.disabled = false;
}

async function addTrack(trackId) {
  const playlist = state.playlist;
  await api("POST", `/v1/playlists/${encodeURIComponent(playlist.id)}/tracks`, { trackIds: [trackId], expectedSnapshotId: playlist.snapshotId });
  await openPlaylist(playlist.id);
  await loadPlaylists();
}

async function removeTrack(position, trackId) {
  const playlist = state.playlist;
  await api("POST", `/v1/playlists/${encodeURIComponent(playlist.id)}/tracks:remove`,
    { items: [{ position, trackId }], expectedSnapshotId: playlist.snapshotId });
  await openPlaylist(playlist.id);
  await loadPlaylists();
}

async function createPlaylist(event) {
  const form = new FormData(event.target);
  const result = await api("POST", "/v1/playlists", {
    name: form.get("name"), visibility: form.get("public") ? "PLAYLIST_VISIBILITY_PUBLIC" : "PLAYLIST_VISIBILITY_PRIVATE",
  });
  event.target.reset();
  await loadPlaylists();
  await openPlaylist(result.playlist.id);
}

$("auth-form").addEventListener("submit", run(authenticate));
$("search-form").addEventListener("submit", run((event) => {
  state.query = new FormData(event.target).get("query");
  return search(false);
}));
$("more").addEventListener("click", run(() => search(true)));
$("playlist-form").addEventListener("submit", run(createPlaylist));
$("sign-out").addEventListener("click", signOut);
run(showSignedIn)();
