local function make_account(balance)
  local self = {}
  function self.deposit(v) balance = balance + v return self end
  function self.withdraw(v)
    if v > balance then error("insufficient funds", 2) end
    balance = balance - v
    return self
  end
  function self.balance() return balance end
  return self
end
local acc = make_account(100)
acc.deposit(50).withdraw(30)
print(acc.balance())
print(pcall(acc.withdraw, 1000))
local other = make_account(0)
print(other.balance(), acc.balance())
