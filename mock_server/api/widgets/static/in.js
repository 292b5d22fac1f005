/*
 * rsc-mock: offline stand-in for LinkedIn's https://platform.linkedin.com/xdoor/scripts/in.js, limited to the
 * two Recruiter System Connect widgets.
 *
 * Reads the configuration block inside its own script tag, as LinkedIn's script does:
 *
 *   <script src="http://localhost:8080/xdoor/scripts/in.js">
 *     api_key: <client id of the customer's child application>
 *     extensions: ATSIntegrationWidget@https://platform.linkedin.com/rsc/extensions/onboarding-widget
 *     extensions: HcmWidget@https://platform.linkedin.com/rsc/extensions/profile-widget
 *   </script>
 *
 * (several extensions may also share one line, comma-separated; the URLs are not fetched: the widgets are
 * served by the emulator this script was loaded from). Then every <script type="IN/ATSIntegrationWidget">
 * and <script type="IN/HcmWidget"> tag is replaced by an iframe of the emulator; data-width sets the iframe's
 * width (pixels).
 *
 * For each frame, this script first asks the emulator for a frame token (POST /_widgets/frames with api_key
 * and the widget's name; the browser adds the page's real Origin, which must be one of the customer
 * application's validJsSdkDomains). The frame's URL carries that token, the page's origin (where the frame
 * posts its messages) and the tag's data-* attributes; the frame shows its data only with the token. When
 * the emulator refuses, the frame shows why (its URL carries the error instead of a token).
 *
 * The frame talks to this script with window.postMessage (both sides check event.origin and the peer
 * window): {type: "resize", height}, {type: "error", message} (logged with console.error), and
 * {type: "callback", event} — this script then calls the global function named by the tag's own
 * data-on<event> attribute (data-onintegrate, data-onlink, data-onunlink) with event's argument and tells the
 * frame whether that worked. IN.parse(element) renders tags added later.
 *
 * A page may hold several in.js snippets (LinkedIn documents one per widget): the first one loaded runs, the
 * others add their extensions to it. A widget tag whose extension no snippet declares is not rendered and
 * is reported in the console once the page has loaded.
 */
(function () {
  "use strict";

  var LOG = "[rsc-mock in.js]";
  var WIDGETS = {
    ATSIntegrationWidget: { events: { integrate: "data-onintegrate" }, title: "LinkedIn ATS integration configuration" },
    HcmWidget: { events: { link: "data-onlink", unlink: "data-onunlink" }, title: "LinkedIn profile" }
  };
  var script = document.currentScript || findOwnScript();
  if (!script) {
    console.error(LOG, "cannot find the script tag that loaded in.js");
    return;
  }
  if (window.IN && window.IN.rscMockAdd) {
    window.IN.rscMockAdd(script);
    return;
  }
  var emulatorOrigin = new URL(script.src, location.href).origin;
  var pageOrigin = location.origin;
  var config = readConfig(script.textContent || "");
  var frames = [];

  function findOwnScript() {
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/xdoor\/scripts\/in\.js(\?|#|$)/.test(scripts[i].src)) return scripts[i];
    }
    return null;
  }

  // "name: value" lines; "extensions" may repeat and list several "Name@url" items separated by commas.
  function readConfig(text) {
    var result = { api_key: "", extensions: {} };
    text.split(/\r?\n/).forEach(function (line) {
      var match = /^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$/.exec(line);
      if (!match) return;
      if (match[1] !== "extensions") {
        result[match[1]] = match[2];
        return;
      }
      match[2].split(",").forEach(function (item) {
        var at = item.indexOf("@");
        var name = (at < 0 ? item : item.slice(0, at)).trim();
        if (name) result.extensions[name] = at < 0 ? "" : item.slice(at + 1).trim();
      });
    });
    return result;
  }

  function describe() {
    return "(api_key " + JSON.stringify(config.api_key) + ", page origin " + pageOrigin + ")";
  }

  // A frame token from the emulator for this page (its Origin) and widget; rejects with the emulator's message.
  function frameToken(name) {
    var body = new URLSearchParams({ api_key: config.api_key || "", widget: name });
    return fetch(new URL("/_widgets/frames", emulatorOrigin).toString(), { method: "POST", body: body, credentials: "omit" })
      .then(function (reply) {
        return reply.json().catch(function () { return {}; }).then(function (data) {
          if (!reply.ok || !data.token) throw new Error(data.message || reply.status + " " + reply.statusText);
          return data.token;
        });
      });
  }

  function render(tag) {
    if (tag.getAttribute("data-rsc-mock-rendered")) return;
    var name = tag.type.slice("IN/".length);
    var widget = WIDGETS[name];
    if (!widget) return;
    if (!Object.prototype.hasOwnProperty.call(config.extensions, name)) return;
    tag.setAttribute("data-rsc-mock-rendered", "true");
    var url = new URL("/_widgets/frame/" + name, emulatorOrigin);
    url.searchParams.set("origin", pageOrigin);
    Array.prototype.forEach.call(tag.attributes, function (attribute) {
      if (attribute.name.indexOf("data-") === 0) url.searchParams.set(attribute.name, attribute.value);
    });
    var iframe = document.createElement("iframe");
    frameToken(name).then(function (token) {
      url.searchParams.set("token", token);
    }, function (error) {
      url.searchParams.set("error", error.message);
    }).then(function () {
      iframe.src = url.toString();
    });
    iframe.title = widget.title;
    iframe.className = "IN-widget";
    iframe.setAttribute("data-rsc-mock-widget", name);
    var width = parseInt(tag.getAttribute("data-width"), 10);
    iframe.style.cssText = "border:0;display:block;height:160px;max-width:100%;width:" +
      (width > 0 ? width + "px" : "100%");
    tag.parentNode.insertBefore(iframe, tag.nextSibling);
    frames.push({ iframe: iframe, tag: tag, name: name, widget: widget });
  }

  function parse(root) {
    var tags = (root || document).querySelectorAll('script[type^="IN/"]');
    Array.prototype.forEach.call(tags, render);
  }

  // A dotted name ("app.onLink") resolved from window, or undefined.
  function globalFunction(name) {
    var value = window;
    name.split(".").forEach(function (part) { value = value == null ? undefined : value[part]; });
    return typeof value === "function" ? value : undefined;
  }

  function invoke(frame, event, argument) {
    var attribute = frame.widget.events[event];
    if (!attribute) return;
    var reply = { source: "rsc-mock-in.js", type: "callbackResult", event: event, attribute: attribute, ok: true };
    var name = frame.tag.getAttribute(attribute);
    var callback = name ? globalFunction(name) : undefined;
    if (!name) {
      reply.ok = false;
      reply.message = "the widget tag has no " + attribute + " attribute";
      console.warn(LOG, "IN/" + frame.name + ": " + reply.message + "; nothing was called", describe());
    } else if (!callback) {
      reply.ok = false;
      reply.message = attribute + "=\"" + name + "\" does not name a global function of the page";
      console.error(LOG, "IN/" + frame.name + ": " + reply.message, describe());
    } else {
      reply.name = name;
      try {
        callback.call(window, argument);
      } catch (error) {
        reply.ok = false;
        reply.message = name + "() threw " + error;
        console.error(LOG, "IN/" + frame.name + ": " + name + "() threw", error);
      }
    }
    frame.iframe.contentWindow.postMessage(reply, emulatorOrigin);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== emulatorOrigin) return;
    var frame = frames.filter(function (item) { return item.iframe.contentWindow === event.source; })[0];
    var data = event.data;
    if (!frame || !data || data.source !== "rsc-mock-widget") return;
    if (data.type === "resize" && data.height > 0) {
      frame.iframe.style.height = Math.ceil(data.height) + "px";
    } else if (data.type === "error") {
      console.error(LOG, "IN/" + frame.name + ": " + data.message, describe());
    } else if (data.type === "callback") {
      invoke(frame, data.event, data.argument);
    }
  });

  // Another in.js snippet of the page: its extensions join this one's (its api_key must be the same).
  function add(other) {
    var more = readConfig(other.textContent || "");
    if (more.api_key && config.api_key && more.api_key !== config.api_key) {
      console.error(LOG, "two in.js snippets with different api_key values; using " + JSON.stringify(config.api_key));
    }
    config.api_key = config.api_key || more.api_key;
    IN.ENV.js.apiKey = config.api_key;
    Object.keys(more.extensions).forEach(function (name) { config.extensions[name] = more.extensions[name]; });
    whenReady(parse);
  }

  function reportUnrendered() {
    var tags = document.querySelectorAll('script[type^="IN/"]:not([data-rsc-mock-rendered])');
    Array.prototype.forEach.call(tags, function (tag) {
      var name = tag.type.slice("IN/".length);
      if (!WIDGETS[name]) return;
      console.error(LOG, "<script type=\"IN/" + name + "\"> is not rendered: no in.js script tag has the line" +
        " `extensions: " + name + "@<url>`", describe());
    });
  }

  function whenReady(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { callback(); });
    else callback();
  }

  var IN = window.IN = window.IN || {};
  IN.parse = parse;
  IN.rscMockAdd = add;
  IN.ENV = { js: { apiKey: config.api_key, extensions: config.extensions }, emulator: emulatorOrigin };

  whenReady(parse);
  if (document.readyState === "complete") reportUnrendered();
  else window.addEventListener("load", reportUnrendered);
})();
