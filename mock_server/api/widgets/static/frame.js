/*
 * rsc-mock: the inside of the widget iframes that in.js renders (/_widgets/frame/<widget>?token=…&origin=…
 * &data-…=…, or ?error=… when the emulator refused the page a frame token). Talks to the emulator's /_widgets
 * endpoints with its frame token (header X-Widget-Token: the emulator takes the customer from it) and to in.js
 * in the parent page through postMessage, only with the page origin in.js reported (checked against
 * location.ancestorOrigins where the browser has it).
 *
 * To the page: {source: "rsc-mock-widget", type: "resize", height} | {type: "error", message} |
 * {type: "callback", event: "integrate" | "link" | "unlink", argument}. From the page:
 * {source: "rsc-mock-in.js", type: "callbackResult", event, ok, name?, message?}.
 */
(function () {
  "use strict";

  const params = new URLSearchParams(location.search);
  const widget = location.pathname.split("/").pop();
  const pageOrigin = params.get("origin") || "";
  const token = params.get("token") || "";
  const refused = params.get("error");
  const root = document.getElementById("widget");
  const LABELS = {
    ONE_CLICK_EXPORT: "One-Click Export",
    IN_ATS_INDICATOR: "In-ATS Indicator",
    PROFILE_PLUGIN: "Profile Plugin",
    CSA_API: "Recruiter data access (CSA API)"
  };

  const attr = (name) => (params.get("data-" + name) || "").trim();

  function validOrigin(origin) {
    try { return new URL(origin).origin === origin; } catch (error) { return false; }
  }

  // Callbacks go only to the origin in.js reported; an error may go anywhere (file:// pages have origin "null").
  function post(message, anyOrigin) {
    message.source = "rsc-mock-widget";
    if (validOrigin(pageOrigin)) window.parent.postMessage(message, pageOrigin);
    else if (anyOrigin) window.parent.postMessage(message, "*");
  }

  function h(tag, props, children) {
    const element = document.createElement(tag);
    Object.entries(props || {}).forEach(([name, value]) => {
      if (value == null || value === false) return;
      if (name === "text") element.textContent = value;
      else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach((child) => {
      if (child != null && child !== false) element.append(child);
    });
    return element;
  }

  function resize() {
    post({ type: "resize", height: Math.ceil(root.getBoundingClientRect().bottom + 12) });
  }

  function show(...nodes) {
    root.replaceChildren(header(), ...nodes.filter(Boolean));
    resize();
  }

  function header() {
    return h("header", {}, [h("span", { class: "logo", text: "in" }),
      h("span", { class: "product", text: widget === "HcmWidget" ? "LinkedIn Recruiter" : "Recruiter System Connect" }),
      h("span", { class: "badge", text: "rsc-mock" })]);
  }

  // A configuration problem: shown in the frame and logged in the page's console by in.js.
  function fail(message) {
    show(h("div", { class: "error", role: "alert", id: "rsc-error" }, [h("strong", { text: "This widget cannot be shown. " }), message]));
    post({ type: "error", message: message }, true);
  }

  function inlineError(message) {
    return h("p", { class: "error", role: "alert", id: "rsc-inline-error", text: message });
  }

  async function api(method, path, body) {
    const options = { method: method, headers: { Accept: "application/json", "X-Widget-Token": token } };
    let url = path;
    if (method === "GET") {
      url += "?" + new URLSearchParams(body || {});
    } else {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body || {});
    }
    const reply = await fetch(url, options);
    const data = await reply.json().catch(() => ({}));
    if (!reply.ok) throw new Error(data.message || reply.status + " " + reply.statusText);
    return data;
  }

  function date(ms) {
    return new Date(ms).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
  }

  function callbackStatus(attribute) {
    return h("p", { class: "muted", id: "rsc-callback-status", "data-attribute": attribute, text: "Notifying the page…" });
  }

  window.addEventListener("message", (event) => {
    if (event.origin !== pageOrigin || event.source !== window.parent) return;
    const data = event.data;
    if (!data || data.source !== "rsc-mock-in.js" || data.type !== "callbackResult") return;
    const status = document.getElementById("rsc-callback-status");
    if (!status) return;
    status.className = data.ok ? "ok" : "warning";
    status.textContent = data.ok ? "The page was notified: " + data.name + "() was called."
      : "The page was not notified: " + data.message + ".";
    resize();
  });

  // ---- ATS Integration Configuration widget --------------------------------------------------------------

  async function configurationWidget() {
    const bundles = attr("supported-bundled-integration-types");
    let info;
    try {
      info = await api("GET", "/_widgets/configuration", { bundles: bundles });
    } catch (error) {
      return fail(error.message);
    }
    signInStep(info, bundles);
  }

  function integrationList(integrations) {
    return h("ul", { class: "integrations" }, integrations.map((item) =>
      h("li", { "data-type": item.integrationType, "data-context": item.integrationContext }, [
        h("strong", { text: LABELS[item.integrationType] || item.integrationType }),
        h("span", { class: "muted", text: " · " + item.integrationContext })])));
  }

  function signInStep(info, bundles) {
    const input = h("input", { id: "rsc-identifier", name: "identifier", type: "text", autocomplete: "off",
      placeholder: "email address or urn:li:person:…", "aria-label": "Email address" });
    const problem = h("div");
    const form = h("form", { id: "rsc-signin", onsubmit: async (event) => {
      event.preventDefault();
      try {
        approveStep(info, bundles, await api("POST", "/_widgets/configuration/signin", { identifier: input.value }));
      } catch (error) {
        problem.replaceChildren(inlineError(error.message));
        resize();
      }
    } }, [input, h("button", { type: "submit", id: "rsc-signin-button", class: "primary", text: "Sign in" })]);
    const hints = info.admins.map((admin) => h("button", { type: "button", class: "link",
      text: admin.emailAddress || admin.member, onclick: () => { input.value = admin.emailAddress || admin.member; } }));
    show(h("h1", { text: "Sign in to LinkedIn Recruiter" }),
      h("p", { text: "A Recruiter admin of the customer approves the integrations " + info.customer + " asks for." }),
      form, problem,
      h("p", { class: "muted small" }, hints.length
        ? ["Admins in the emulator's fixtures: ", ...hints] : ["This customer has no admin in the fixtures."]));
  }

  function approveStep(info, bundles, admin) {
    const problem = h("div");
    const approve = h("button", { type: "button", id: "rsc-approve", class: "primary", text: "Approve", onclick: async () => {
      approve.disabled = true;
      try {
        const reply = await api("POST", "/_widgets/configuration/approve", { member: admin.member, bundles: bundles });
        doneStep(reply.integrations);
        post({ type: "callback", event: "integrate", argument: reply.integrations });
      } catch (error) {
        approve.disabled = false;
        problem.replaceChildren(inlineError(error.message));
        resize();
      }
    } });
    show(h("p", { class: "muted", id: "rsc-signed-in", text: "Signed in as " + admin.name + " (" + admin.member + ")" }),
      h("h1", { text: info.customer + " asks to turn on" }), integrationList(info.integrations), problem,
      h("div", { class: "actions" }, [approve]));
  }

  function doneStep(integrations) {
    show(h("h1", { id: "rsc-approved", text: "Integrations approved" }), integrationList(integrations),
      callbackStatus("data-onintegrate"));
  }

  // ---- profile widget (HcmWidget) --------------------------------------------------------------------------

  const candidate = { atsCandidateId: attr("ats-candidate-id"), integrationContext: attr("integration-context") };

  async function profileWidget() {
    const type = attr("widget-type");
    if (type && type !== "ATS") return fail("data-widget-type must be \"ATS\", not \"" + type + "\"");
    let state;
    try {
      state = await api("GET", "/_widgets/profile", candidate);
    } catch (error) {
      return fail(error.message);
    }
    renderProfile(state);
  }

  function renderProfile(state, ...extra) {
    if (!state.candidate) {
      show(h("div", { class: "empty", id: "rsc-not-synced" }, [
        h("p", { text: "Candidate " + candidate.atsCandidateId + " has not been synced to LinkedIn yet." }),
        h("p", { class: "muted small", text: "Sync it with an atsCandidates BATCH_UPDATE in " + candidate.integrationContext + "." })]),
        h("button", { type: "button", text: "Check again", onclick: profileWidget }), ...extra);
    } else if (!state.match) {
      noMatch(state, ...extra);
    } else {
      matched(state, ...extra);
    }
  }

  function noMatch(state, ...extra) {
    const name = [state.candidate.firstName, state.candidate.lastName].filter(Boolean).join(" ");
    show(h("p", { id: "rsc-no-match", text: "No LinkedIn profile is matched to " + (name || candidate.atsCandidateId) + "." }),
      ...extra, memberSearch(name));
  }

  function memberSearch(initial) {
    const input = h("input", { id: "rsc-search", type: "search", value: initial, "aria-label": "Search LinkedIn members",
      placeholder: "Search members by name, headline or email" });
    const results = h("ul", { class: "results", id: "rsc-results" });
    const run = async () => {
      try {
        const reply = await api("GET", "/_widgets/profile/members", Object.assign({ q: input.value }, candidate));
        results.replaceChildren(...reply.members.map(resultRow));
        if (!reply.members.length) results.append(h("li", { class: "muted", text: "No member found." }));
      } catch (error) {
        results.replaceChildren(inlineError(error.message));
      }
      resize();
    };
    if (initial) run();
    return h("form", { id: "rsc-search-form", onsubmit: (event) => { event.preventDefault(); run(); } }, [
      h("label", { for: "rsc-search", class: "small muted", text: "Find the candidate on LinkedIn" }),
      h("div", { class: "row" }, [input, h("button", { type: "submit", text: "Search" })]), results]);
  }

  function resultRow(member) {
    return h("li", {}, [
      h("div", {}, [h("strong", { text: member.name }), h("div", { class: "muted small", text: member.headline || "" })]),
      h("button", { type: "button", class: "primary", "data-member": member.member, text: "Link", onclick: async () => {
        try {
          const reply = await api("POST", "/_widgets/profile/link", Object.assign({ member: member.member }, candidate));
          renderProfile(reply.state, callbackStatus("data-onlink"));
          post({ type: "callback", event: "link", argument: reply.member });
        } catch (error) {
          renderProfile(await api("GET", "/_widgets/profile", candidate), inlineError(error.message));
        }
      } })]);
  }

  function matched(state, ...extra) {
    const match = state.match;
    const profile = match.profile;
    const position = profile.currentPosition || {};
    const card = h("section", { class: "card", id: "rsc-profile", "data-member": match.member }, [
      h("h1", {}, [profile.profileUrl ? h("a", { href: profile.profileUrl, target: "_blank", rel: "noopener", text: profile.name })
        : profile.name]),
      h("p", { class: "headline", text: profile.headline || "" }),
      profile.location && h("p", { class: "muted small", text: profile.location }),
      position.title && h("p", { class: "small", id: "rsc-position", text: position.title + (position.companyName ? " at " + position.companyName : "") }),
      h("p", { class: "small", id: "rsc-match-kind", text: match.how === "manual" ? "Linked to this candidate manually"
        : "Matched automatically (email address or profile URL)" })]);
    const panel = h("div", { class: "tab-panel" });
    const tabs = [["Profile", () => profileDetails(profile, match.member)], ["Recruiting activity", () => activityList(match.activity)]];
    const bar = h("nav", { class: "tabs", role: "tablist" }, tabs.map(([label, render], index) =>
      h("button", { type: "button", role: "tab", id: "rsc-tab-" + index, onclick: (event) => {
        bar.querySelectorAll("button").forEach((button) => button.setAttribute("aria-selected", String(button === event.target)));
        panel.replaceChildren(render());
        resize();
      }, text: label })));
    const actions = h("div", { class: "actions", id: "rsc-actions" });
    if (match.how === "manual" && attr("show-unlink-url") !== "false") {
      actions.append(h("button", { type: "button", id: "rsc-unlink", text: "Unlink", onclick: () => unlinkStep(state, actions) }));
    } else if (match.how === "automatic") {
      actions.append(h("button", { type: "button", id: "rsc-relink", text: "Not the right person?",
        onclick: () => { actions.replaceChildren(memberSearch([state.candidate.firstName, state.candidate.lastName].filter(Boolean).join(" "))); resize(); } }));
    }
    show(card, bar, panel, actions, ...extra);
    bar.querySelector("button").click();
  }

  function profileDetails(profile, member) {
    return h("dl", { class: "details" }, [
      h("dt", { text: "Member" }), h("dd", { text: member }),
      h("dt", { text: "Profile" }), h("dd", { text: profile.profileUrl || "—" })]);
  }

  function activityList(activity) {
    const inMails = activity.inMails.map((mail) => h("li", { class: "inmail" }, [
      h("div", { class: "muted small", text: date(mail.created) + " · " + (mail.direction === "SENT" ? "InMail from " + mail.recruiter
        : "Reply to " + mail.recruiter) + (mail.response ? " · " + mail.response.toLowerCase() : "") }),
      mail.subject && h("strong", { text: mail.subject }), h("p", { class: "body", text: mail.body })]));
    const notes = activity.notes.map((note) => h("li", { class: "note" }, [
      h("div", { class: "muted small", text: date(note.lastModified) + " · note by " + note.recruiter }),
      h("p", { class: "body", text: note.note })]));
    return h("div", { id: "rsc-activity" }, [
      h("h2", { text: "InMails (" + inMails.length + ")" }),
      inMails.length ? h("ul", { class: "activity" }, inMails) : h("p", { class: "muted small", text: "No InMail from your team." }),
      h("h2", { text: "Notes (" + notes.length + ")" }),
      notes.length ? h("ul", { class: "activity" }, notes) : h("p", { class: "muted small", text: "No public note." }),
      activity.privateNotes ? h("p", { class: "muted small", text: activity.privateNotes + " private note(s) not shown." }) : null]);
  }

  function unlinkStep(state, actions) {
    const unlink = async () => {
      try {
        const reply = await api("POST", "/_widgets/profile/unlink", candidate);
        renderProfile(reply.state, callbackStatus("data-onunlink"));
        post({ type: "callback", event: "unlink", argument: reply.member });
      } catch (error) {
        actions.replaceChildren(inlineError(error.message));
        resize();
      }
    };
    if (attr("confirm-unlink") !== "true") return unlink();
    actions.replaceChildren(h("div", { class: "confirm", id: "rsc-confirm", role: "alertdialog" }, [
      h("p", { text: "Unlink " + state.match.profile.name + " from this candidate?" }),
      h("button", { type: "button", id: "rsc-confirm-unlink", class: "danger", text: "Unlink", onclick: unlink }),
      h("button", { type: "button", id: "rsc-cancel-unlink", text: "Cancel", onclick: () => renderProfile(state) })]));
    resize();
  }

  // ---- start ---------------------------------------------------------------------------------------------

  const ancestor = location.ancestorOrigins && location.ancestorOrigins[0];
  new ResizeObserver(resize).observe(root);
  if (window.parent === window) {
    fail("this page is a widget frame: embed the widget with in.js instead of opening it directly");
  } else if (refused) {
    fail(refused);
  } else if (ancestor && ancestor !== pageOrigin) {
    fail("the page's origin " + ancestor + " is not the origin in.js reported (" + pageOrigin + ")");
  } else if (widget === "ATSIntegrationWidget") {
    configurationWidget();
  } else {
    profileWidget();
  }
})();
