// customer_entry's field accessors: views into its one shared text.
#include <blubridge/directory/customer_directory.hpp>

#include "detail/entry_text.hpp"

namespace blubridge::directory {

using detail::field_of;
using detail::text_field;

std::string_view customer_entry::reference() const { return field_of(text, text_field::reference); }
std::string_view customer_entry::name() const { return field_of(text, text_field::name); }
std::string_view customer_entry::last_name() const { return field_of(text, text_field::last_name); }
std::string_view customer_entry::company() const { return field_of(text, text_field::company); }
std::string_view customer_entry::email() const { return field_of(text, text_field::email); }

}  // namespace blubridge::directory
