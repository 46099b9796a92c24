#include "api.h"

#include <dlfcn.h>

#include <map>
#include <mutex>

#include "addon.h"

namespace jaxts {

namespace {
std::mutex g_plugins_mutex;
std::map<std::string, const Api*>& Plugins() {
  static auto* plugins = new std::map<std::string, const Api*>();  // never freed: plugins stay loaded
  return *plugins;
}
}  // namespace

const Api* Api::Load(Napi::Env env, const std::string& path) {
  std::lock_guard<std::mutex> lock(g_plugins_mutex);
  auto found = Plugins().find(path);
  if (found != Plugins().end()) return found->second;

  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw Napi::Error::New(env, "jaxts: cannot load PJRT plugin " + path + ": " + (why ? why : "dlopen failed"));
  }
  auto get_api = reinterpret_cast<pjrt::GetPjrtApiFn>(dlsym(handle, "GetPjrtApi"));
  if (!get_api) {
    throw Napi::Error::New(env, "jaxts: " + path + " is not a PJRT plugin (it exports no GetPjrtApi)");
  }
  const pjrt::ApiHead* head = get_api();
  if (!head || head->struct_size < pjrt::kFunctionTableOffset) {
    throw Napi::Error::New(env, "jaxts: PJRT plugin " + path + " returned an invalid PJRT_Api table");
  }
  const int major = head->pjrt_api_version.major_version;
  const int minor = head->pjrt_api_version.minor_version;
  if (major != 0 || minor < pjrt::kMinimumMinorVersion) {
    throw Napi::Error::New(env, "jaxts: PJRT plugin " + path + " implements PJRT C API " + std::to_string(major) +
                                    "." + std::to_string(minor) + "; jaxts needs 0." +
                                    std::to_string(pjrt::kMinimumMinorVersion) + " or newer (major version 0)");
  }
  auto* api = new Api(path, head);
  auto init = JAXTS_ARGS(pjrt::PluginInitializeArgs, extension_start);
  api->Check(env, api->Call(env, pjrt::kPluginInitialize, &init), "PJRT_Plugin_Initialize");
  Plugins()[path] = api;
  return api;
}

void* Api::Slot(pjrt::Ordinal ordinal) const {
  const size_t offset = pjrt::kFunctionTableOffset + sizeof(void*) * static_cast<size_t>(ordinal);
  if (offset + sizeof(void*) > head_->struct_size) return nullptr;
  void* fn = nullptr;
  memcpy(&fn, reinterpret_cast<const char*>(head_) + offset, sizeof(void*));
  return fn;
}

void* Api::Require(Napi::Env env, pjrt::Ordinal ordinal) const {
  void* fn = Slot(ordinal);
  if (!fn) {
    throw Napi::Error::New(env, std::string("jaxts: the PJRT plugin ") + path_ + " (PJRT C API 0." +
                                    std::to_string(minor()) + ") does not implement PJRT_" + OrdinalName(ordinal));
  }
  return fn;
}

std::string Api::ErrorMessage(pjrt::Error* error) const {
  auto args = JAXTS_ARGS(pjrt::ErrorMessageArgs, message_size);
  args.error = error;
  auto fn = reinterpret_cast<void (*)(pjrt::ErrorMessageArgs*)>(Slot(pjrt::kErrorMessage));
  if (!fn) return "unknown PJRT error";
  fn(&args);
  return std::string(args.message ? args.message : "", args.message_size);
}

pjrt::ErrorCode Api::ErrorCode(pjrt::Error* error) const {
  auto args = JAXTS_ARGS(pjrt::ErrorGetCodeArgs, code);
  args.error = error;
  args.code = pjrt::ErrorCode::kUnknown;
  auto fn = reinterpret_cast<pjrt::Error* (*)(pjrt::ErrorGetCodeArgs*)>(Slot(pjrt::kErrorGetCode));
  if (fn) {
    pjrt::Error* inner = fn(&args);
    if (inner) DestroyError(inner);
  }
  return args.code;
}

void Api::DestroyError(pjrt::Error* error) const {
  auto args = JAXTS_ARGS(pjrt::ErrorDestroyArgs, error);
  args.error = error;
  auto fn = reinterpret_cast<void (*)(pjrt::ErrorDestroyArgs*)>(Slot(pjrt::kErrorDestroy));
  if (fn) fn(&args);
}

void Api::DestroyEvent(pjrt::Event* event) const {
  if (!event) return;
  auto args = JAXTS_ARGS(pjrt::EventDestroyArgs, event);
  args.event = event;
  bool missing = false;
  pjrt::Error* error = CallNoThrow(pjrt::kEventDestroy, &args, &missing);
  if (error) DestroyError(error);
}

Napi::Error Api::MakeError(Napi::Env env, pjrt::Error* error, const char* what) const {
  const std::string message = ErrorMessage(error);
  const int code = static_cast<int>(ErrorCode(error));
  DestroyError(error);
  return MakePjrtError(env, std::string(what) + ": " + message, code, ErrorCodeName(code));
}

void Api::Check(Napi::Env env, pjrt::Error* error, const char* what) const {
  if (error) throw MakeError(env, error, what);
}

const char* ErrorCodeName(int code) {
  static const char* names[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
                                "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  return code >= 0 && code < 17 ? names[code] : "UNKNOWN";
}

Napi::Error MakePjrtError(Napi::Env env, const std::string& message, int code, const char* code_name) {
  InstanceData* data = InstanceData::Get(env);
  if (data && !data->error_class.IsEmpty()) {
    Napi::Value error = data->error_class.New(
        {Napi::String::New(env, message), Napi::String::New(env, code_name), Napi::Number::New(env, code)});
    return Napi::Error(env, error);
  }
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code_name));
  error.Set("pjrtCode", Napi::Number::New(env, code));
  return error;
}

const char* Api::OrdinalName(pjrt::Ordinal ordinal) {
  switch (ordinal) {
    case pjrt::kErrorDestroy: return "Error_Destroy";
    case pjrt::kErrorMessage: return "Error_Message";
    case pjrt::kErrorGetCode: return "Error_GetCode";
    case pjrt::kPluginInitialize: return "Plugin_Initialize";
    case pjrt::kPluginAttributes: return "Plugin_Attributes";
    case pjrt::kEventDestroy: return "Event_Destroy";
    case pjrt::kEventIsReady: return "Event_IsReady";
    case pjrt::kEventError: return "Event_Error";
    case pjrt::kEventAwait: return "Event_Await";
    case pjrt::kEventOnReady: return "Event_OnReady";
    case pjrt::kClientCreate: return "Client_Create";
    case pjrt::kClientDestroy: return "Client_Destroy";
    case pjrt::kClientPlatformName: return "Client_PlatformName";
    case pjrt::kClientPlatformVersion: return "Client_PlatformVersion";
    case pjrt::kClientDevices: return "Client_Devices";
    case pjrt::kClientAddressableDevices: return "Client_AddressableDevices";
    case pjrt::kClientCompile: return "Client_Compile";
    case pjrt::kClientBufferFromHostBuffer: return "Client_BufferFromHostBuffer";
    case pjrt::kDeviceDescriptionId: return "DeviceDescription_Id";
    case pjrt::kDeviceDescriptionProcessIndex: return "DeviceDescription_ProcessIndex";
    case pjrt::kDeviceDescriptionKind: return "DeviceDescription_Kind";
    case pjrt::kDeviceDescriptionDebugString: return "DeviceDescription_DebugString";
    case pjrt::kDeviceDescriptionToString: return "DeviceDescription_ToString";
    case pjrt::kDeviceGetDescription: return "Device_GetDescription";
    case pjrt::kDeviceLocalHardwareId: return "Device_LocalHardwareId";
    case pjrt::kDeviceMemoryStats: return "Device_MemoryStats";
    case pjrt::kExecutableDestroy: return "Executable_Destroy";
    case pjrt::kExecutableName: return "Executable_Name";
    case pjrt::kExecutableNumOutputs: return "Executable_NumOutputs";
    case pjrt::kExecutableSerialize: return "Executable_Serialize";
    case pjrt::kLoadedExecutableDestroy: return "LoadedExecutable_Destroy";
    case pjrt::kLoadedExecutableGetExecutable: return "LoadedExecutable_GetExecutable";
    case pjrt::kLoadedExecutableAddressableDevices: return "LoadedExecutable_AddressableDevices";
    case pjrt::kLoadedExecutableExecute: return "LoadedExecutable_Execute";
    case pjrt::kExecutableDeserializeAndLoad: return "Executable_DeserializeAndLoad";
    case pjrt::kBufferDestroy: return "Buffer_Destroy";
    case pjrt::kBufferElementType: return "Buffer_ElementType";
    case pjrt::kBufferDimensions: return "Buffer_Dimensions";
    case pjrt::kBufferOnDeviceSizeInBytes: return "Buffer_OnDeviceSizeInBytes";
    case pjrt::kBufferDevice: return "Buffer_Device";
    case pjrt::kBufferIsDeleted: return "Buffer_IsDeleted";
    case pjrt::kBufferToHostBuffer: return "Buffer_ToHostBuffer";
    case pjrt::kBufferReadyEvent: return "Buffer_ReadyEvent";
    case pjrt::kExecutableOutputElementTypes: return "Executable_OutputElementTypes";
    case pjrt::kExecutableOutputDimensions: return "Executable_OutputDimensions";
    case pjrt::kExecutableFingerprint: return "Executable_Fingerprint";
  }
  return "(unknown entry)";
}

}  // namespace jaxts
