// Plugin: version, attributes, and client creation with typed create options.
#include <list>

#include "addon.h"

namespace jaxts {

Napi::Function PluginWrap::Init(Napi::Env env) {
  return DefineClass(env, "Plugin",
                     {InstanceAccessor<&PluginWrap::Path>("path"),
                      InstanceAccessor<&PluginWrap::ApiVersion>("apiVersion"),
                      InstanceMethod<&PluginWrap::Attributes>("attributes"),
                      InstanceMethod<&PluginWrap::CreateClient>("createClient")});
}

PluginWrap::PluginWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PluginWrap>(info) {
  api_ = TakeHandoff<Api>(info);
  if (!api_) throw Napi::TypeError::New(info.Env(), "Plugin cannot be constructed directly; use loadPlugin(path)");
}

Napi::Value PluginWrap::Path(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), api_->path()); }

Napi::Value PluginWrap::ApiVersion(const Napi::CallbackInfo& info) {
  Napi::Object version = Napi::Object::New(info.Env());
  version.Set("major", api_->major());
  version.Set("minor", api_->minor());
  version.Set("tableSize", Napi::Number::New(info.Env(), static_cast<double>(api_->struct_size())));
  return version;
}

namespace {
Napi::Value NamedValueToJs(Napi::Env env, const pjrt::NamedValue& value) {
  switch (value.type) {
    case pjrt::kString: return Napi::String::New(env, value.string_value, value.value_size);
    case pjrt::kInt64: return Napi::Number::New(env, static_cast<double>(value.int64_value));
    case pjrt::kInt64List: {
      Napi::Array list = Napi::Array::New(env, value.value_size);
      for (size_t i = 0; i < value.value_size; ++i) {
        list.Set(i, Napi::Number::New(env, static_cast<double>(value.int64_array_value[i])));
      }
      return list;
    }
    case pjrt::kFloat: return Napi::Number::New(env, value.float_value);
    case pjrt::kBool: return Napi::Boolean::New(env, value.bool_value);
  }
  return env.Undefined();
}
}  // namespace

Napi::Value PluginWrap::Attributes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  if (!api_->Slot(pjrt::kPluginAttributes)) return result;  // some plugins have none
  auto args = JAXTS_ARGS(pjrt::PluginAttributesArgs, num_attributes);
  api_->Check(env, api_->Call(env, pjrt::kPluginAttributes, &args), "PJRT_Plugin_Attributes");
  for (size_t i = 0; i < args.num_attributes; ++i) {
    const pjrt::NamedValue& value = args.attributes[i];
    result.Set(std::string(value.name, value.name_size), NamedValueToJs(env, value));
  }
  return result;
}

// createClient(options: {name, type, value}[]): the TS layer chooses per-platform options,
// since plugins reject names they do not know.
Napi::Value PluginWrap::CreateClient(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsArray()) {
    throw Napi::TypeError::New(env, "createClient(options): expected an array of {name, type, value}");
  }
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<pjrt::NamedValue> options(list.Length());
  std::list<std::string> strings;  // stable storage for names and string values
  std::list<std::vector<int64_t>> lists;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value item = list.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, "createClient: option " + std::to_string(i) + " is not an object");
    Napi::Object option = item.As<Napi::Object>();
    Napi::Value name = option.Get("name"), type = option.Get("type"), value = option.Get("value");
    if (!name.IsString() || !type.IsString()) {
      throw Napi::TypeError::New(env, "createClient: option " + std::to_string(i) + " needs string name and type");
    }
    pjrt::NamedValue& out = options[i];
    out.struct_size = JAXTS_PJRT_SIZE(pjrt::NamedValue, value_size);
    strings.push_back(name.As<Napi::String>().Utf8Value());
    out.name = strings.back().c_str();
    out.name_size = strings.back().size();
    const std::string kind = type.As<Napi::String>().Utf8Value();
    const std::string label = "createClient: option '" + strings.back() + "'";
    if (kind == "string" && value.IsString()) {
      strings.push_back(value.As<Napi::String>().Utf8Value());
      out.type = pjrt::kString;
      out.string_value = strings.back().c_str();
      out.value_size = strings.back().size();
    } else if (kind == "int64" && value.IsNumber()) {
      out.type = pjrt::kInt64;
      out.int64_value = value.As<Napi::Number>().Int64Value();
      out.value_size = 1;
    } else if (kind == "float" && value.IsNumber()) {
      out.type = pjrt::kFloat;
      out.float_value = value.As<Napi::Number>().FloatValue();
      out.value_size = 1;
    } else if (kind == "bool" && value.IsBoolean()) {
      out.type = pjrt::kBool;
      out.bool_value = value.As<Napi::Boolean>().Value();
      out.value_size = 1;
    } else if (kind == "int64list" && value.IsArray()) {
      Napi::Array items = value.As<Napi::Array>();
      lists.emplace_back();
      for (uint32_t j = 0; j < items.Length(); ++j) {
        Napi::Value v = items.Get(j);
        if (!v.IsNumber()) throw Napi::TypeError::New(env, label + " must be a list of integers");
        lists.back().push_back(v.As<Napi::Number>().Int64Value());
      }
      out.type = pjrt::kInt64List;
      out.int64_array_value = lists.back().data();
      out.value_size = lists.back().size();
    } else {
      throw Napi::TypeError::New(env, label + ": type '" + kind + "' does not match its value");
    }
  }
  auto args = JAXTS_ARGS(pjrt::ClientCreateArgs, kv_try_get_user_arg);
  args.create_options = options.data();
  args.num_options = options.size();
  api_->Check(env, api_->Call(env, pjrt::kClientCreate, &args), "PJRT_Client_Create");

  auto state = std::make_shared<ClientState>();
  state->api = api_;
  state->client = args.client;
  auto devices = JAXTS_ARGS(pjrt::ClientDevicesArgs, num_devices);
  devices.client = args.client;
  api_->Check(env, api_->Call(env, pjrt::kClientAddressableDevices, &devices), "PJRT_Client_AddressableDevices");
  state->devices.assign(devices.devices, devices.devices + devices.num_devices);
  auto name = JAXTS_ARGS(pjrt::ClientPlatformNameArgs, platform_name_size);
  name.client = args.client;
  api_->Check(env, api_->Call(env, pjrt::kClientPlatformName, &name), "PJRT_Client_PlatformName");
  state->platform.assign(name.platform_name, name.platform_name_size);

  return ConstructNative(env, InstanceData::Get(env)->client_ctor, &state);
}

}  // namespace jaxts
