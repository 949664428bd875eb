// PlaygroundSession's frames: what the page is sent of a run (its spec and data, its timeline,
// each frame's state and maps) and when (session.cpp has the commands and the run).
#include <cmath>
#include <string>

#include "server/playground/session.hpp"
#include "train/health.hpp"

namespace netlens::server::playground {

void PlaygroundSession::announce_timeline() {
  if (greeted_) send_text(timeline_message(timelines_, session_->train_set().size(), timeline_->checkpoints()));
}

void PlaygroundSession::announce_data() {
  auto run = std::make_shared<RunMessages>();
  run->spec = spec_message(*session_, grid_->domain(), grid_->resolution(), units_->resolution(), runs_,
                           upload_);
  run->data = data_message(*session_);
  run_ = std::move(run);
}

// A run whose loss stops being finite (learning rate too high) pauses itself and says why;
// reset or a new spec recovers.
void PlaygroundSession::publish_frame() {
  auto frame = std::make_shared<Frame>();
  frame->seq = seq_++;
  frame->metrics = session_->evaluate();
  if (!std::isfinite(frame->metrics.train_loss) && greeted_) {
    running_ = false;
    send_error(std::nullopt, "diverged: at epoch " + std::to_string(frame->metrics.epoch) +
                                 " the training loss is not finite; lower the learning rate (now " +
                                 nlohmann::json(session_->spec().learning_rate).dump() + ") and press reset");
  }
  // Stop rules fire when the run crosses them, so play goes on past a limit already reached.
  const double threshold = settings_.stop_test_loss, loss = frame->metrics.test_loss;
  if (running_ && stopped_.empty() && threshold > 0 && loss < threshold && !(last_test_loss_ < threshold))
    stopped_ = "test loss fell below " + nlohmann::json(threshold).dump();
  last_test_loss_ = loss;
  if (!stopped_.empty()) running_ = false;
  frame->running = running_;
  frame->run = run_;
  // A run that cannot learn says so on every frame from the first that finds it (a page may be
  // sent only the newest frame); checked when the loss stands still, so a run that learns costs
  // no extra pass over its points.
  const double train_loss = frame->metrics.train_loss;
  if (notice_.empty() && frame->metrics.epoch > 0 && std::abs(train_loss - last_train_loss_) <= 1e-4 * std::abs(train_loss))
    notice_ = train::stuck_notice(*session_);
  last_train_loss_ = train_loss;
  frame->state = state_message(frame->seq, frame->running, frame->metrics, *session_, settings_, stopped_, notice_,
                               followed_ ? followed_->name() : "", followed_ ? followed_->dropped() : nlohmann::json::object());
  live_.update(frame->metrics.epoch, frame->metrics.train_loss, session_->spec().dataset);
  stopped_.clear();
  float* p = params_.data();
  for (const auto& param : session_->network().params()) p = std::copy_n(param.value->data(), param.value->size(), p);
  const float* output = class_map_ ? class_map_->compute(*session_).data() : grid_->compute(*session_).data();
  frame->body = encode_frame(frame->seq, {grid_->resolution(), class_map_ ? class_map_->classes() : 1, output,
                                          units_->resolution(), units_->nodes(), units_->compute(*session_).data(),
                                          params_});
  std::shared_ptr<const Frame> done = std::move(frame);
  {
    std::lock_guard lock(frame_mutex_);
    frame_ = done;
  }
  if (greeted_) send_frame(done, false);
}

// A new run's spec and data go out before its first frame, and a waiting frame of the old run
// is dropped. The greeting's frame goes in order, so it comes before any answer; the rest are
// published as the newest. Aliasing shared_ptrs: each message keeps its frame (or run) alive
// while it is written.
void PlaygroundSession::send_frame(const std::shared_ptr<const Frame>& frame, bool in_order) {
  if (frame->run != sent_run_) {
    drop_newest();
    send(Outgoing{std::shared_ptr<const std::string>(frame->run, &frame->run->spec), false});
    send(Outgoing{std::shared_ptr<const std::string>(frame->run, &frame->run->data), false});
    sent_run_ = frame->run;
  }
  std::vector<Outgoing> messages{{std::shared_ptr<const std::string>(frame, &frame->state), false},
                                 {std::shared_ptr<const std::string>(frame, &frame->body), true}};
  if (!in_order) return publish(std::move(messages));
  for (auto& m : messages) send(std::move(m));
}

}  // namespace netlens::server::playground
