// Runs a continuation once N concurrent operations have finished: each one
// calls the Join it was handed (copies share one counter).
#pragma once

#include "move_function.hpp"

#include <memory>

namespace qmi {

class Join {
public:
    Join(int count, MoveFunction<void()> then)
        : state_(std::make_shared<State>(State{count, std::move(then)}))
    {
        if (count <= 0)
            fire();
    }
    void operator()() const
    {
        if (--state_->remaining == 0)
            fire();
    }

private:
    struct State {
        int remaining;
        MoveFunction<void()> then;
    };
    void fire() const
    {
        if (state_->then) {
            auto then = std::move(state_->then);
            then();
        }
    }
    std::shared_ptr<State> state_;
};

} // namespace qmi
