// A small persistent thread pool: run(f) calls f(worker) on every worker (the caller is worker 0) and
// returns when all are done; parallel_for hands out fixed chunks dynamically. Chunk boundaries never
// depend on timing, so every chunk's result (and any reduction done per chunk) is deterministic.
// Synchronization is plain pthread mutex/condition variables (std::condition_variable::wait would tie the
// prebuilt binary to libstdc++ from GCC 12, GLIBCXX_3.4.30).
#pragma once
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

class ThreadPool {
 public:
  explicit ThreadPool(int workers) : size_(std::max(1, workers)) {
    pthread_mutex_init(&mu_, nullptr);
    pthread_cond_init(&wake_, nullptr);
    pthread_cond_init(&done_, nullptr);
    for (int i = 1; i < size_; i++) threads_.emplace_back([this, i] { loop(i); });
  }
  ~ThreadPool() {
    pthread_mutex_lock(&mu_);
    stop_ = true;
    pthread_cond_broadcast(&wake_);
    pthread_mutex_unlock(&mu_);
    for (auto& t : threads_) t.join();
    pthread_cond_destroy(&done_);
    pthread_cond_destroy(&wake_);
    pthread_mutex_destroy(&mu_);
  }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  int size() const { return size_; }

  void run(const std::function<void(int)>& f) {
    if (threads_.empty()) {
      f(0);
      return;
    }
    pthread_mutex_lock(&mu_);
    job_ = &f;
    remaining_ = (int)threads_.size();
    generation_++;
    pthread_cond_broadcast(&wake_);
    pthread_mutex_unlock(&mu_);
    f(0);
    pthread_mutex_lock(&mu_);
    while (remaining_ != 0) pthread_cond_wait(&done_, &mu_);
    pthread_mutex_unlock(&mu_);
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
      pthread_mutex_lock(&mu_);
      while (!stop_ && generation_ == seen) pthread_cond_wait(&wake_, &mu_);
      if (stop_) {
        pthread_mutex_unlock(&mu_);
        return;
      }
      seen = generation_;
      const std::function<void(int)>* job = job_;
      pthread_mutex_unlock(&mu_);
      (*job)(id);
      pthread_mutex_lock(&mu_);
      if (--remaining_ == 0) pthread_cond_signal(&done_);
      pthread_mutex_unlock(&mu_);
    }
  }

  int size_;
  std::vector<std::thread> threads_;
  pthread_mutex_t mu_;
  pthread_cond_t wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  uint64_t generation_ = 0;
  int remaining_ = 0;
  bool stop_ = false;
};
