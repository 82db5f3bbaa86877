// json.h: ObjectReader, typed field-by-field access that names the full path in every error.
#include <algorithm>

#include "hal/base/json.h"

namespace carnet::json {

std::string IndexPath(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

Status TypeError(std::string_view path, std::string_view expected, const Value& got) {
  return InvalidArgument(std::string(path.empty() ? "document" : path) + ": expected " +
                         std::string(expected) + ", got " + std::string(KindName(got.kind())));
}

Result<ObjectReader> ObjectReader::Open(const Value& value, std::string path) {
  if (!value.is(Kind::kObject)) return TypeError(path, "an object", value);
  return ObjectReader(&value, std::move(path));
}

std::string ObjectReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const Value* ObjectReader::Take(std::string_view key) {
  known_.emplace_back(key);
  const Value* v = object_->Find(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

Result<const Value*> ObjectReader::Get(std::string_view key, Presence presence) {
  const Value* v = Take(key);
  if (v == nullptr && presence == Presence::kRequired) {
    return InvalidArgument(PathOf(key) + ": missing required field");
  }
  return v;
}

Status ObjectReader::String(std::string_view key, Presence presence, std::string* out) {
  CARNET_ASSIGN_OR_RETURN(const Value* v, Get(key, presence));
  if (v == nullptr) return Status::Ok();
  if (!v->is(Kind::kString)) return TypeError(PathOf(key), "a string", *v);
  *out = v->as_string();
  return Status::Ok();
}

Status ObjectReader::Bool(std::string_view key, Presence presence, bool* out) {
  CARNET_ASSIGN_OR_RETURN(const Value* v, Get(key, presence));
  if (v == nullptr) return Status::Ok();
  if (!v->is(Kind::kBool)) return TypeError(PathOf(key), "true or false", *v);
  *out = v->as_bool();
  return Status::Ok();
}

Status ObjectReader::Int(std::string_view key, Presence presence, int64_t* out) {
  CARNET_ASSIGN_OR_RETURN(const Value* v, Get(key, presence));
  if (v == nullptr) return Status::Ok();
  if (!v->is(Kind::kInt)) return TypeError(PathOf(key), "an integer", *v);
  *out = v->as_int();
  return Status::Ok();
}

Status ObjectReader::OneOf(std::string_view key,
                           Presence presence,
                           std::initializer_list<std::string_view> choices,
                           std::string* out) {
  std::string expected = "one of ";
  for (auto c : choices) expected += std::string(c) + "|";
  expected.pop_back();
  CARNET_ASSIGN_OR_RETURN(const Value* v, Get(key, presence));
  if (v == nullptr) return Status::Ok();
  if (!v->is(Kind::kString)) return TypeError(PathOf(key), expected, *v);
  if (std::find(choices.begin(), choices.end(), v->as_string()) == choices.end()) {
    return InvalidArgument(PathOf(key) + ": expected " + expected + ", got " +
                           Quote(v->as_string().substr(0, 64)));
  }
  *out = v->as_string();
  return Status::Ok();
}

Status ObjectReader::Array(std::string_view key, Presence presence, const Value::Array** out) {
  CARNET_ASSIGN_OR_RETURN(const Value* v, Get(key, presence));
  if (v == nullptr) return Status::Ok();
  if (!v->is(Kind::kArray)) return TypeError(PathOf(key), "an array", *v);
  *out = &v->as_array();
  return Status::Ok();
}

Status ObjectReader::StringArray(std::string_view key,
                                 Presence presence,
                                 std::vector<std::string>* out) {
  const Value::Array* items = nullptr;
  CARNET_TRY(Array(key, presence, &items));
  if (items == nullptr) return Status::Ok();
  std::vector<std::string> strings;
  for (size_t i = 0; i < items->size(); ++i) {
    const Value& item = (*items)[i];
    if (!item.is(Kind::kString)) return TypeError(IndexPath(PathOf(key), i), "a string", item);
    strings.push_back(item.as_string());
  }
  *out = std::move(strings);
  return Status::Ok();
}

Status ObjectReader::Finish() const {
  for (const auto& [key, value] : object_->as_object()) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
      return InvalidArgument(PathOf(key.substr(0, 64)) + ": unknown field");
    }
  }
  return Status::Ok();
}

}  // namespace carnet::json
