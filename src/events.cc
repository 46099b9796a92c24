#include "events.h"

namespace jaxts {

struct PendingEvent {
  EventBridge* bridge;
  const Api* api;
  pjrt::Event* event;
  std::string what;
  std::shared_ptr<void> keep_alive;
  std::function<Napi::Value(Napi::Env)> on_ready;
  Napi::Promise::Deferred deferred;
  pjrt::Error* error = nullptr;
};

EventBridge::EventBridge(Napi::Env env) {
  tsfn_ = Tsfn::New(env, "jaxts.pjrtEvents", 0, 1, this);
  tsfn_.Unref(env);
}

// The thread-safe function is never released: a PJRT callback that fires after the
// environment is gone then finds it closing instead of freed.
EventBridge::~EventBridge() = default;

Napi::Promise EventBridge::Watch(Napi::Env env, const Api* api, pjrt::Event* event, std::string what,
                                 std::shared_ptr<void> keep_alive,
                                 std::function<Napi::Value(Napi::Env)> on_ready) {
  auto* pending = new PendingEvent{this, api, event, std::move(what), std::move(keep_alive), std::move(on_ready),
                                   Napi::Promise::Deferred::New(env)};
  Napi::Promise promise = pending->deferred.Promise();

  // Fast path: work that finished during dispatch settles without a thread hop.
  auto ready = JAXTS_ARGS(pjrt::EventIsReadyArgs, is_ready);
  ready.event = event;
  bool missing = false;
  pjrt::Error* error = api->CallNoThrow(pjrt::kEventIsReady, &ready, &missing);
  if (!error && !missing && ready.is_ready) {
    auto status = JAXTS_ARGS(pjrt::EventErrorArgs, event);
    status.event = event;
    Settle(env, pending, api->CallNoThrow(pjrt::kEventError, &status, &missing));
    delete pending;
    return promise;
  }
  if (error) api->DestroyError(error);

  if (pending_++ == 0) tsfn_.Ref(env);
  auto on_ready_args = JAXTS_ARGS(pjrt::EventOnReadyArgs, user_arg);
  on_ready_args.event = event;
  on_ready_args.callback = &EventBridge::OnReady;
  on_ready_args.user_arg = pending;
  error = api->CallNoThrow(pjrt::kEventOnReady, &on_ready_args, &missing);
  if (error || missing) {
    if (--pending_ == 0) tsfn_.Unref(env);
    if (missing) {
      // No callback support: wait here rather than never settle.
      auto await_args = JAXTS_ARGS(pjrt::EventAwaitArgs, event);
      await_args.event = event;
      error = api->CallNoThrow(pjrt::kEventAwait, &await_args, &missing);
    }
    Settle(env, pending, error);
    delete pending;
  }
  return promise;
}

void EventBridge::OnReady(pjrt::Error* error, void* user_arg) {
  // On a PJRT thread: touch nothing but the queue.
  auto* pending = static_cast<PendingEvent*>(user_arg);
  pending->error = error;
  if (pending->bridge->tsfn_.NonBlockingCall(pending) != napi_ok) {
    // The environment is shutting down; the promise can no longer settle.
    pending->api->DestroyError(error);
  }
}

void EventBridge::CallJs(Napi::Env env, Napi::Function, EventBridge* bridge, PendingEvent* pending) {
  if (env == nullptr) {  // teardown: nothing may be resolved any more
    if (pending->error) pending->api->DestroyError(pending->error);
    return;
  }
  Settle(env, pending, pending->error);
  if (--bridge->pending_ == 0) bridge->tsfn_.Unref(env);
  delete pending;
}

void EventBridge::Settle(Napi::Env env, PendingEvent* pending, pjrt::Error* error) {
  pending->api->DestroyEvent(pending->event);
  pending->event = nullptr;
  if (error) {
    pending->deferred.Reject(pending->api->MakeError(env, error, pending->what.c_str()).Value());
    return;
  }
  try {
    pending->deferred.Resolve(pending->on_ready ? pending->on_ready(env) : env.Undefined());
  } catch (const Napi::Error& e) {
    pending->deferred.Reject(e.Value());
  }
  pending->keep_alive.reset();
}

void EventBridge::Await(Napi::Env env, const Api* api, pjrt::Event* event, const char* what) {
  auto args = JAXTS_ARGS(pjrt::EventAwaitArgs, event);
  args.event = event;
  pjrt::Error* error = api->Call(env, pjrt::kEventAwait, &args);
  api->DestroyEvent(event);
  api->Check(env, error, what);
}

}  // namespace jaxts
