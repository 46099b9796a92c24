// jaxts' own declarations of the part of the PJRT C API that the addon calls.
//
// Written from the facts in shared/notes/pjrt-abi.md (function-table ordinals, field order,
// struct sizes), not copied from XLA's header. Every args struct is declared at the newest
// layout we know (PJRT 0.114): plugins accept a struct at least as large as their own and
// read only the prefix they know, so one declaration serves the 0.81 CPU plugin and the
// 0.115 CUDA plugin alike. `struct_size` is offsetof(last field) + sizeof(last field), which
// differs from sizeof() when the struct has trailing padding.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pjrt {

// Opaque handles owned by the plugin.
struct Error;
struct Client;
struct Device;
struct DeviceDescription;
struct Memory;
struct Event;
struct Buffer;
struct Executable;
struct LoadedExecutable;
struct SerializedExecutable;
struct ExtensionBase;

// The newest PJRT minor version whose layouts this file declares.
constexpr int kKnownMinorVersion = 114;
// The oldest minor version we accept (the xla-cpu-pjrt 0.0.1 plugin).
constexpr int kMinimumMinorVersion = 81;

#define JAXTS_PJRT_ARGS_HEADER \
  size_t struct_size;          \
  ExtensionBase* extension_start

// struct_size of an args struct: the end of its last field.
#define JAXTS_PJRT_SIZE(type, last_field) (offsetof(type, last_field) + sizeof(((type*)nullptr)->last_field))

enum class ErrorCode : int {
  kOk = 0, kCancelled = 1, kUnknown = 2, kInvalidArgument = 3, kDeadlineExceeded = 4,
  kNotFound = 5, kAlreadyExists = 6, kPermissionDenied = 7, kResourceExhausted = 8,
  kFailedPrecondition = 9, kAborted = 10, kOutOfRange = 11, kUnimplemented = 12,
  kInternal = 13, kUnavailable = 14, kDataLoss = 15, kUnauthenticated = 16,
};

// PJRT_Buffer_Type numbering (not xla::PrimitiveType's).
enum BufferType : int {
  kInvalid = 0, kPred = 1, kS8 = 2, kS16 = 3, kS32 = 4, kS64 = 5, kU8 = 6, kU16 = 7,
  kU32 = 8, kU64 = 9, kF16 = 10, kF32 = 11, kF64 = 12, kBF16 = 13, kC64 = 14, kC128 = 15,
};

enum NamedValueType : int { kString = 0, kInt64 = 1, kInt64List = 2, kFloat = 3, kBool = 4 };

enum HostBufferSemantics : int {
  kImmutableOnlyDuringCall = 0,
  kImmutableUntilTransferCompletes = 1,
  kImmutableZeroCopy = 2,
  kMutableZeroCopy = 3,
};

enum MemoryLayoutType : int { kLayoutTiled = 0, kLayoutStrides = 1 };

struct NamedValue {
  JAXTS_PJRT_ARGS_HEADER;
  const char* name;
  size_t name_size;
  NamedValueType type;
  union {
    const char* string_value;
    int64_t int64_value;
    const int64_t* int64_array_value;
    float float_value;
    bool bool_value;
  };
  size_t value_size;
};

using EventOnReadyCallback = void (*)(Error* error, void* user_arg);

// ---- errors ----
struct ErrorDestroyArgs { JAXTS_PJRT_ARGS_HEADER; Error* error; };
struct ErrorMessageArgs { JAXTS_PJRT_ARGS_HEADER; const Error* error; const char* message; size_t message_size; };
struct ErrorGetCodeArgs { JAXTS_PJRT_ARGS_HEADER; const Error* error; ErrorCode code; };

// ---- plugin ----
struct PluginInitializeArgs { JAXTS_PJRT_ARGS_HEADER; };
struct PluginAttributesArgs { JAXTS_PJRT_ARGS_HEADER; const NamedValue* attributes; size_t num_attributes; };

// ---- events ----
struct EventDestroyArgs { JAXTS_PJRT_ARGS_HEADER; Event* event; };
struct EventIsReadyArgs { JAXTS_PJRT_ARGS_HEADER; Event* event; bool is_ready; };
struct EventErrorArgs { JAXTS_PJRT_ARGS_HEADER; Event* event; };
struct EventAwaitArgs { JAXTS_PJRT_ARGS_HEADER; Event* event; };
struct EventOnReadyArgs { JAXTS_PJRT_ARGS_HEADER; Event* event; EventOnReadyCallback callback; void* user_arg; };

// ---- client ----
using KeyValueCallback = void*;  // multi-process key-value store callbacks: unused (NULL)
struct ClientCreateArgs {
  JAXTS_PJRT_ARGS_HEADER;
  const NamedValue* create_options;
  size_t num_options;
  KeyValueCallback kv_get_callback;
  void* kv_get_user_arg;
  KeyValueCallback kv_put_callback;
  void* kv_put_user_arg;
  Client* client;  // out
  KeyValueCallback kv_try_get_callback;
  void* kv_try_get_user_arg;
};
struct ClientDestroyArgs { JAXTS_PJRT_ARGS_HEADER; Client* client; };
struct ClientPlatformNameArgs { JAXTS_PJRT_ARGS_HEADER; Client* client; const char* platform_name; size_t platform_name_size; };
struct ClientPlatformVersionArgs { JAXTS_PJRT_ARGS_HEADER; Client* client; const char* platform_version; size_t platform_version_size; };
struct ClientDevicesArgs { JAXTS_PJRT_ARGS_HEADER; Client* client; Device* const* devices; size_t num_devices; };

struct Program {
  JAXTS_PJRT_ARGS_HEADER;
  char* code;
  size_t code_size;
  const char* format;
  size_t format_size;
};
struct ClientCompileArgs {
  JAXTS_PJRT_ARGS_HEADER;
  Client* client;
  const Program* program;
  const char* compile_options;
  size_t compile_options_size;
  LoadedExecutable* executable;  // out
};

struct BufferMemoryLayoutTiled {
  JAXTS_PJRT_ARGS_HEADER;
  const int64_t* minor_to_major;
  size_t minor_to_major_size;
  const int64_t* tile_dims;
  const size_t* tile_dim_sizes;
  size_t num_tiles;
};
struct BufferMemoryLayoutStrides {
  JAXTS_PJRT_ARGS_HEADER;
  const int64_t* byte_strides;
  size_t num_byte_strides;
};
struct BufferMemoryLayout {
  JAXTS_PJRT_ARGS_HEADER;
  union {
    BufferMemoryLayoutTiled tiled;
    BufferMemoryLayoutStrides strides;
  };
  MemoryLayoutType type;
};

struct ClientBufferFromHostBufferArgs {
  JAXTS_PJRT_ARGS_HEADER;
  Client* client;
  const void* data;
  BufferType type;
  const int64_t* dims;
  size_t num_dims;
  const int64_t* byte_strides;
  size_t num_byte_strides;
  HostBufferSemantics host_buffer_semantics;
  Device* device;
  Memory* memory;
  BufferMemoryLayout* device_layout;
  Event* done_with_host_buffer;  // out
  Buffer* buffer;                // out
};

// ---- devices ----
struct DeviceGetDescriptionArgs { JAXTS_PJRT_ARGS_HEADER; Device* device; DeviceDescription* device_description; };
struct DeviceLocalHardwareIdArgs { JAXTS_PJRT_ARGS_HEADER; Device* device; int local_hardware_id; };
struct DeviceDescriptionIdArgs { JAXTS_PJRT_ARGS_HEADER; DeviceDescription* device_description; int id; };
struct DeviceDescriptionProcessIndexArgs { JAXTS_PJRT_ARGS_HEADER; DeviceDescription* device_description; int process_index; };
struct DeviceDescriptionKindArgs { JAXTS_PJRT_ARGS_HEADER; DeviceDescription* device_description; const char* device_kind; size_t device_kind_size; };
struct DeviceDescriptionToStringArgs { JAXTS_PJRT_ARGS_HEADER; DeviceDescription* device_description; const char* to_string; size_t to_string_size; };
struct DeviceMemoryStatsArgs {
  JAXTS_PJRT_ARGS_HEADER;
  Device* device;
  int64_t bytes_in_use;
  int64_t peak_bytes_in_use;
  bool peak_bytes_in_use_is_set;
  int64_t num_allocs;
  bool num_allocs_is_set;
  int64_t largest_alloc_size;
  bool largest_alloc_size_is_set;
  int64_t bytes_limit;
  bool bytes_limit_is_set;
  int64_t bytes_reserved;
  bool bytes_reserved_is_set;
  int64_t peak_bytes_reserved;
  bool peak_bytes_reserved_is_set;
  int64_t bytes_reservable_limit;
  bool bytes_reservable_limit_is_set;
  int64_t largest_free_block_bytes;
  bool largest_free_block_bytes_is_set;
  int64_t pool_bytes;
  bool pool_bytes_is_set;
  int64_t peak_pool_bytes;
  bool peak_pool_bytes_is_set;
};

// ---- buffers ----
struct BufferDestroyArgs { JAXTS_PJRT_ARGS_HEADER; Buffer* buffer; };
struct BufferElementTypeArgs { JAXTS_PJRT_ARGS_HEADER; Buffer* buffer; BufferType type; };
struct BufferDimensionsArgs { JAXTS_PJRT_ARGS_HEADER; Buffer* buffer; const int64_t* dims; size_t num_dims; };
struct BufferOnDeviceSizeInBytesArgs { JAXTS_PJRT_ARGS_HEADER; Buffer* buffer; size_t on_device_size_in_bytes; };
struct BufferDeviceArgs { JAXTS_PJRT_ARGS_HEADER; Buffer* buffer; Device* device; };
struct BufferIsDeletedArgs { JAXTS_PJRT_ARGS_HEADER; Buffer* buffer; bool is_deleted; };
struct BufferReadyEventArgs { JAXTS_PJRT_ARGS_HEADER; Buffer* buffer; Event* event; };
struct BufferToHostBufferArgs {
  JAXTS_PJRT_ARGS_HEADER;
  Buffer* src;
  BufferMemoryLayout* host_layout;
  void* dst;
  size_t dst_size;
  Event* event;  // out
};

// ---- executables ----
struct ExecuteOptions {
  JAXTS_PJRT_ARGS_HEADER;
  void** send_callbacks;
  void** recv_callbacks;
  size_t num_send_ops;
  size_t num_recv_ops;
  int launch_id;
  const int64_t* non_donatable_input_indices;
  size_t num_non_donatable_input_indices;
  void* context;
  const char* call_location;
  size_t num_tasks;
  int* task_ids;
  int64_t* incarnation_ids;
  void* multi_slice_config;                        // 0.97
  bool use_major_to_minor_data_layout_for_callbacks;  // 0.108
  void* hlo_output_callbacks;                      // 0.112
  size_t num_hlo_output_callbacks;                 // 0.112
};
struct LoadedExecutableExecuteArgs {
  JAXTS_PJRT_ARGS_HEADER;
  LoadedExecutable* executable;
  ExecuteOptions* options;
  Buffer* const* const* argument_lists;
  size_t num_devices;
  size_t num_args;
  Buffer** const* output_lists;
  Event** device_complete_events;
  Device* execute_device;
};
struct LoadedExecutableDestroyArgs { JAXTS_PJRT_ARGS_HEADER; LoadedExecutable* executable; };
struct LoadedExecutableGetExecutableArgs { JAXTS_PJRT_ARGS_HEADER; LoadedExecutable* loaded_executable; Executable* executable; };
struct LoadedExecutableAddressableDevicesArgs { JAXTS_PJRT_ARGS_HEADER; LoadedExecutable* executable; Device* const* addressable_devices; size_t num_addressable_devices; };
struct ExecutableDestroyArgs { JAXTS_PJRT_ARGS_HEADER; Executable* executable; };
struct ExecutableNameArgs { JAXTS_PJRT_ARGS_HEADER; Executable* executable; const char* executable_name; size_t executable_name_size; };
struct ExecutableNumOutputsArgs { JAXTS_PJRT_ARGS_HEADER; Executable* executable; size_t num_outputs; };
struct ExecutableOutputElementTypesArgs { JAXTS_PJRT_ARGS_HEADER; Executable* executable; BufferType* output_types; size_t num_output_types; };
struct ExecutableOutputDimensionsArgs { JAXTS_PJRT_ARGS_HEADER; Executable* executable; size_t num_outputs; const int64_t* dims; const size_t* dim_sizes; };
struct ExecutableFingerprintArgs { JAXTS_PJRT_ARGS_HEADER; Executable* executable; const char* executable_fingerprint; size_t executable_fingerprint_size; };
struct ExecutableSerializeArgs {
  JAXTS_PJRT_ARGS_HEADER;
  const Executable* executable;
  const char* serialized_bytes;
  size_t serialized_bytes_size;
  SerializedExecutable* serialized_executable;
  void (*serialized_executable_deleter)(SerializedExecutable*);
};
struct ExecutableDeserializeAndLoadArgs {
  JAXTS_PJRT_ARGS_HEADER;
  Client* client;
  const char* serialized_executable;
  size_t serialized_executable_size;
  LoadedExecutable* loaded_executable;  // out
  const char* overridden_serialized_compile_options;
  size_t overridden_serialized_compile_options_size;
  void* load_options;  // 0.111
};

// Sizes from shared/notes/pjrt-abi.md section 2.3 (LP64), checked at compile time.
static_assert(JAXTS_PJRT_SIZE(NamedValue, value_size) == 56, "NamedValue");
static_assert(offsetof(NamedValue, type) == 32 && offsetof(NamedValue, value_size) == 48, "NamedValue offsets");
static_assert(JAXTS_PJRT_SIZE(ErrorMessageArgs, message_size) == 40, "Error_Message");
static_assert(JAXTS_PJRT_SIZE(ErrorGetCodeArgs, code) == 28, "Error_GetCode");
static_assert(JAXTS_PJRT_SIZE(PluginAttributesArgs, num_attributes) == 32, "Plugin_Attributes");
static_assert(JAXTS_PJRT_SIZE(EventIsReadyArgs, is_ready) == 25, "Event_IsReady");
static_assert(JAXTS_PJRT_SIZE(EventOnReadyArgs, user_arg) == 40, "Event_OnReady");
static_assert(JAXTS_PJRT_SIZE(ClientCreateArgs, kv_try_get_user_arg) == 88, "Client_Create");
static_assert(JAXTS_PJRT_SIZE(ClientPlatformNameArgs, platform_name_size) == 40, "Client_PlatformName");
static_assert(JAXTS_PJRT_SIZE(ClientDevicesArgs, num_devices) == 40, "Client_AddressableDevices");
static_assert(JAXTS_PJRT_SIZE(DeviceGetDescriptionArgs, device_description) == 32, "Device_GetDescription");
static_assert(JAXTS_PJRT_SIZE(DeviceDescriptionIdArgs, id) == 28, "DeviceDescription_Id");
static_assert(JAXTS_PJRT_SIZE(DeviceDescriptionKindArgs, device_kind_size) == 40, "DeviceDescription_Kind");
static_assert(JAXTS_PJRT_SIZE(Program, format_size) == 48, "Program");
static_assert(JAXTS_PJRT_SIZE(ClientCompileArgs, executable) == 56, "Client_Compile");
static_assert(JAXTS_PJRT_SIZE(ClientBufferFromHostBufferArgs, buffer) == 120, "BufferFromHostBuffer");
static_assert(offsetof(ClientBufferFromHostBufferArgs, type) == 32 && offsetof(ClientBufferFromHostBufferArgs, device) == 80, "BufferFromHostBuffer offsets");
static_assert(JAXTS_PJRT_SIZE(BufferMemoryLayout, type) == 76 && offsetof(BufferMemoryLayout, type) == 72, "Buffer_MemoryLayout");
static_assert(JAXTS_PJRT_SIZE(BufferMemoryLayoutTiled, num_tiles) == 56, "Buffer_MemoryLayout_Tiled");
static_assert(JAXTS_PJRT_SIZE(BufferToHostBufferArgs, event) == 56, "Buffer_ToHostBuffer");
static_assert(JAXTS_PJRT_SIZE(BufferDimensionsArgs, num_dims) == 40, "Buffer_Dimensions");
static_assert(JAXTS_PJRT_SIZE(BufferElementTypeArgs, type) == 28, "Buffer_ElementType");
static_assert(JAXTS_PJRT_SIZE(BufferReadyEventArgs, event) == 32, "Buffer_ReadyEvent");
static_assert(JAXTS_PJRT_SIZE(ExecuteOptions, num_hlo_output_callbacks) == 144, "ExecuteOptions");
static_assert(offsetof(ExecuteOptions, non_donatable_input_indices) == 56 && offsetof(ExecuteOptions, incarnation_ids) == 104, "ExecuteOptions offsets");
static_assert(JAXTS_PJRT_SIZE(LoadedExecutableExecuteArgs, execute_device) == 80, "LoadedExecutable_Execute");
static_assert(JAXTS_PJRT_SIZE(LoadedExecutableGetExecutableArgs, executable) == 32, "GetExecutable");
static_assert(JAXTS_PJRT_SIZE(ExecutableNumOutputsArgs, num_outputs) == 32, "Executable_NumOutputs");
static_assert(JAXTS_PJRT_SIZE(ExecutableOutputElementTypesArgs, num_output_types) == 40, "OutputElementTypes");
static_assert(JAXTS_PJRT_SIZE(ExecutableOutputDimensionsArgs, dim_sizes) == 48, "OutputDimensions");
static_assert(JAXTS_PJRT_SIZE(ExecutableFingerprintArgs, executable_fingerprint_size) == 40, "Executable_Fingerprint");
static_assert(JAXTS_PJRT_SIZE(ExecutableSerializeArgs, serialized_executable_deleter) == 56, "Executable_Serialize");
static_assert(JAXTS_PJRT_SIZE(ExecutableDeserializeAndLoadArgs, load_options) == 72, "DeserializeAndLoad");

// Function-table ordinals: the entry with ordinal k sits at byte 40 + 8k of PJRT_Api.
enum Ordinal : int {
  kErrorDestroy = 0, kErrorMessage = 1, kErrorGetCode = 2,
  kPluginInitialize = 3, kPluginAttributes = 4,
  kEventDestroy = 5, kEventIsReady = 6, kEventError = 7, kEventAwait = 8, kEventOnReady = 9,
  kClientCreate = 10, kClientDestroy = 11, kClientPlatformName = 12, kClientPlatformVersion = 14,
  kClientDevices = 15, kClientAddressableDevices = 16, kClientCompile = 20, kClientBufferFromHostBuffer = 22,
  kDeviceDescriptionId = 23, kDeviceDescriptionProcessIndex = 24, kDeviceDescriptionKind = 26,
  kDeviceDescriptionDebugString = 27, kDeviceDescriptionToString = 28,
  kDeviceGetDescription = 29, kDeviceLocalHardwareId = 31, kDeviceMemoryStats = 34,
  kExecutableDestroy = 40, kExecutableName = 41, kExecutableNumOutputs = 44, kExecutableSerialize = 49,
  kLoadedExecutableDestroy = 50, kLoadedExecutableGetExecutable = 51, kLoadedExecutableAddressableDevices = 52,
  kLoadedExecutableExecute = 55, kExecutableDeserializeAndLoad = 56,
  kBufferDestroy = 58, kBufferElementType = 59, kBufferDimensions = 60, kBufferOnDeviceSizeInBytes = 64,
  kBufferDevice = 65, kBufferIsDeleted = 68, kBufferToHostBuffer = 70, kBufferReadyEvent = 72,
  kExecutableOutputElementTypes = 90, kExecutableOutputDimensions = 91, kExecutableFingerprint = 94,
};

// The fixed head of PJRT_Api, the same in every version.
struct ApiVersion {
  JAXTS_PJRT_ARGS_HEADER;
  int major_version;
  int minor_version;
};
struct ApiHead {
  JAXTS_PJRT_ARGS_HEADER;
  ApiVersion pjrt_api_version;
};
static_assert(offsetof(ApiHead, pjrt_api_version) == 16, "PJRT_Api version");
static_assert(offsetof(ApiVersion, minor_version) == 20, "PJRT_Api_Version minor");
constexpr size_t kFunctionTableOffset = 40;

using GetPjrtApiFn = const ApiHead* (*)();

}  // namespace pjrt
