// A small persistent thread pool: run(f) calls f(worker) on every worker (the caller is worker 0) and
// returns when all are done; parallel_for hands out fixed chunks dynamically. Chunk boundaries never
// depend on timing, so every chunk's result (and any reduction done per chunk) is deterministic.
#pragma once
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class ThreadPool {
 public:
  explicit ThreadPool(int workers) : size_(std::max(1, workers)) {
    for (int i = 1; i < size_; i++) threads_.emplace_back([this, i] { loop(i); });
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  int size() const { return size_; }

  void run(const std::function<void(int)>& f) {
    if (threads_.empty()) {
      f(0);
      return;
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      job_ = &f;
      remaining_ = (int)threads_.size();
      generation_++;
    }
    wake_.notify_all();
    f(0);
    std::unique_lock<std::mutex> lk(mu_);
    done_.wait(lk, [this] { return remaining_ == 0; });
  }

  // fn(begin, end, worker) over [0, n) in chunks of `chunk`.
  template <class F>
  void parallel_for(int64_t n, int64_t chunk, F&& fn) {
    if (n <= 0) return;
    chunk = std::max<int64_t>(1, chunk);
    if (n <= chunk || size_ == 1) {
      for (int64_t s = 0; s < n; s += chunk) fn(s, std::min(n, s + chunk), 0);
      return;
    }
    std::atomic<int64_t> next{0};
    run([&](int w) {
      for (;;) {
        int64_t s = next.fetch_add(chunk);
        if (s >= n) break;
        fn(s, std::min(n, s + chunk), w);
      }
    });
  }

 private:
  void loop(int id) {
    uint64_t seen = 0;
    for (;;) {
      const std::function<void(int)>* job;
      {
        std::unique_lock<std::mutex> lk(mu_);
        wake_.wait(lk, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        job = job_;
      }
      (*job)(id);
      {
        std::lock_guard<std::mutex> lk(mu_);
        if (--remaining_ == 0) done_.notify_one();
      }
    }
  }

  int size_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  uint64_t generation_ = 0;
  int remaining_ = 0;
  bool stop_ = false;
};
