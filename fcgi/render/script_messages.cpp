#include "render/script_messages.hpp"

#include <nlohmann/json.hpp>

#include "domain/translate.hpp"

namespace imghost::pages {

std::string script_messages() {
  if (i18n::language() == "en") return {};
  // Each key is the English text exactly as site.js writes it; `{}` stands for a value
  // the script puts in.  The script avoids plural agreement ("Files: 3"), which it could
  // not get right in every language.
  const nlohmann::json m = {
      {"KiB", i18n::tr("KiB")},
      {"MiB", i18n::tr("MiB")},
      {"GiB", i18n::tr("GiB")},
      {"{}.{}", i18n::tr("{}.{}")},
      {"Bytes: {}", i18n::tr("Bytes: {}")},
      {"This browser uploaded it: ", i18n::tr("This browser uploaded it: ")},
      {"Delete this image", i18n::tr("Delete this image")},
      {"My uploads", i18n::tr("My uploads")},
      {"Forget", i18n::tr("Forget")},
      {"Forget {} in this list", i18n::tr("Forget {} in this list")},
      {"Removed from this list. The image itself is still online.",
       i18n::tr("Removed from this list. The image itself is still online.")},
      {"Page", i18n::tr("Page")},
      {"Delete link", i18n::tr("Delete link")},
      {"Copy", i18n::tr("Copy")},
      {"Copy: {}", i18n::tr("Copy: {}")},
      {"code", i18n::tr("code")},
      {"Copied", i18n::tr("Copied")},
      {"Select and copy", i18n::tr("Select and copy")},
      {"Copied to the clipboard", i18n::tr("Copied to the clipboard")},
      {"Copying failed: the text is selected, copy it with the keyboard",
       i18n::tr("Copying failed: the text is selected, copy it with the keyboard")},
      {"Images pasted: {}", i18n::tr("Images pasted: {}")},
      {"not a {} image", i18n::tr("not a {} image")},
      {"accepted", i18n::tr("accepted")},
      {"over the limit of {} per file", i18n::tr("over the limit of {} per file")},
      {"over the limit of {} per video", i18n::tr("over the limit of {} per video")},
      {"empty file", i18n::tr("empty file")},
      {"Remove", i18n::tr("Remove")},
      {"Remove {}", i18n::tr("Remove {}")},
      {"Upload of {}", i18n::tr("Upload of {}")},
      {"Will not be sent: {}", i18n::tr("Will not be sent: {}")},
      {"Ready", i18n::tr("Ready")},
      {"Files in one upload: at most {}. Remove {} of them.",
       i18n::tr("Files in one upload: at most {}. Remove {} of them.")},
      {"Uploading…", i18n::tr("Uploading…")},
      {"Uploaded", i18n::tr("Uploaded")},
      {"Refused: {}", i18n::tr("Refused: {}")},
      {"the server answered {}", i18n::tr("the server answered {}")},
      {"The connection failed; nothing was stored for this file.",
       i18n::tr("The connection failed; nothing was stored for this file.")},
      {"The album could not be made: {}. Nothing was uploaded.",
       i18n::tr("The album could not be made: {}. Nothing was uploaded.")},
      {"the connection failed", i18n::tr("the connection failed")},
      {"None of these files can be sent.", i18n::tr("None of these files can be sent.")},
      {"Choose, drop or paste at least one image first.", i18n::tr("Choose, drop or paste at least one image first.")},
      {"Making the album…", i18n::tr("Making the album…")},
      {"Files being uploaded: {}…", i18n::tr("Files being uploaded: {}…")},
      {"Uploaded: {}, refused: {}. See each file above.", i18n::tr("Uploaded: {}, refused: {}. See each file above.")},
      {"See the links of the uploaded ones", i18n::tr("See the links of the uploaded ones")},
  };
  return m.dump();
}

}  // namespace imghost::pages
