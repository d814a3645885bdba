/**
 * `react-dom/client` in the build (react-runtime.ts): preact/compat's `createRoot`, with React's
 * timing for the effects of what a person does.
 *
 * React runs the effects (`useEffect`) of a render caused by a discrete event (a click, a key, an
 * input) before the browser handles the next event; Preact runs every effect after the next frame.
 * Code written against React relies on the first: Downshift reports a chosen option from an effect
 * (`onSelectedItemChange`), so on Preact's timing a tap on a mention and a key typed right after it
 * could reach the textarea in the wrong order, and a form submitted at once could miss the choice.
 * Here the effects of a render that follows a discrete event run in a microtask, after that render
 * and before the next event; other renders (a query's answer, a timer) keep Preact's after-paint
 * timing, so the first paint does not wait for effects.
 *
 * And React's `autoFocus`: React focuses such a control when it is added to the page; Preact only
 * writes the `autofocus` attribute, which the browser acts on when the page loads or a modal dialog
 * opens, not when the control replaces another on a page already shown (the sign-in page's switch
 * to a recovery code, the password prompt's switch to a code).
 */
import { options } from "preact";

export { createRoot, hydrateRoot } from "preact/compat/client";

/** React's discrete events (DiscreteEventPriority in react-dom), those a person's action sends. */
const DISCRETE = [
  "beforeinput",
  "change",
  "click",
  "compositionend",
  "compositionstart",
  "contextmenu",
  "copy",
  "cut",
  "dblclick",
  "focusin",
  "focusout",
  "input",
  "keydown",
  "keyup",
  "paste",
  "pointerdown",
  "pointerup",
  "reset",
  "submit",
  "touchend",
  "touchstart",
];

/** Set from a discrete event until the tasks it queued have run. */
let discrete = false;
const endOfEvent = new MessageChannel();
endOfEvent.port1.onmessage = () => {
  discrete = false;
};
for (const type of DISCRETE) {
  addEventListener(
    type,
    () => {
      if (discrete) return;
      discrete = true;
      endOfEvent.port2.postMessage(null);
    },
    { capture: true, passive: true },
  );
}

/** After the next frame, as Preact does by default (and within 35 ms when frames stop, in a hidden tab). */
function afterNextFrame(flush: () => void) {
  let frame = 0;
  const done = () => {
    clearTimeout(timeout);
    cancelAnimationFrame(frame);
    setTimeout(flush);
  };
  const timeout = setTimeout(done, 35);
  frame = requestAnimationFrame(done);
}

options.requestAnimationFrame = (flush: () => void) => (discrete ? queueMicrotask(flush) : afterNextFrame(flush));

/** Elements already given focus for their `autoFocus`: once each, when added, as React does. */
const autoFocused = new WeakSet<HTMLElement>();
/** A ref that gives focus to its element the first time it is attached, then does what `ref` did. */
type Cleanup = (() => void) | undefined;
type RefCallback = (element: HTMLElement | null) => Cleanup;
type Ref = RefCallback | { current: HTMLElement | null } | null | undefined;
const focusingRefs = new WeakMap<object, RefCallback>();
function focusing(ref: Ref): RefCallback {
  const key = ref ?? focusingRefs;
  let wrapped = focusingRefs.get(key);
  if (!wrapped) {
    wrapped = (element) => {
      // A function ref's return value is its cleanup (React 19): passed on, Preact calls it on detach.
      let cleanup: Cleanup;
      if (typeof ref === "function") cleanup = ref(element);
      else if (ref) ref.current = element;
      if (element && !autoFocused.has(element)) {
        autoFocused.add(element);
        element.focus();
      }
      return cleanup;
    };
    focusingRefs.set(key, wrapped);
  }
  return wrapped;
}

const previousVnode = options.vnode;
options.vnode = (vnode) => {
  if (typeof vnode.type === "string" && (vnode.props as { autoFocus?: unknown }).autoFocus) vnode.ref = focusing(vnode.ref as Ref);
  previousVnode?.(vnode);
};
