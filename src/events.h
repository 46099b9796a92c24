// Turns PJRT events into JS Promises. PJRT calls OnReady on its own threads (or inline);
// the callback only hands the work to the JS thread through one thread-safe function per
// environment, which is referenced only while events are pending so an idle process exits.
#pragma once

#include <napi.h>

#include <functional>
#include <memory>

#include "api.h"

namespace jaxts {

struct PendingEvent;

class EventBridge {
 public:
  explicit EventBridge(Napi::Env env);
  ~EventBridge();

  // Resolves the returned Promise with `on_ready()` (or undefined) when `event` is ready,
  // or rejects it with the event's error prefixed by `what`. Takes ownership of `event`.
  // `keep_alive` holds whatever must outlive the operation (buffers, host memory).
  // When the event is already ready, settles at once without a thread hop.
  Napi::Promise Watch(Napi::Env env, const Api* api, pjrt::Event* event, std::string what,
                      std::shared_ptr<void> keep_alive, std::function<Napi::Value(Napi::Env)> on_ready);

  // Blocks the JS thread until `event` is ready; throws its error. Destroys the event.
  static void Await(Napi::Env env, const Api* api, pjrt::Event* event, const char* what);

 private:
  static void OnReady(pjrt::Error* error, void* user_arg);
  static void Settle(Napi::Env env, PendingEvent* pending, pjrt::Error* error);
  static void CallJs(Napi::Env env, Napi::Function, EventBridge* bridge, PendingEvent* pending);
  using Tsfn = Napi::TypedThreadSafeFunction<EventBridge, PendingEvent, &EventBridge::CallJs>;

  Tsfn tsfn_;
  size_t pending_ = 0;
};

}  // namespace jaxts
