#include "cli/progress_bar.hpp"

#include <unistd.h>

namespace netlens::cli {

ProgressBar::ProgressBar(int total, std::FILE* out) : total_(total), out_(out), enabled_(isatty(fileno(out)) != 0) {}

void ProgressBar::update(int done, const std::string& note) {
  if (!enabled_) return;
  constexpr int kWidth = 30;
  const int filled = total_ > 0 ? done * kWidth / total_ : kWidth;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '-');
  std::fprintf(out_, "\r[%s] %d/%d  %s\x1b[K", bar.c_str(), done, total_, note.c_str());
  std::fflush(out_);
}

void ProgressBar::finish() {
  if (!enabled_) return;
  std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace netlens::cli
